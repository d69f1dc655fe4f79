import { readFolderResponse, type Folder } from './folder-element.js';
import type { SoapCall } from './soap-call.js';

export interface CreateFolderParams {
  /** One path segment; the caller walks nested paths itself. */
  name: string;
  /** Parent folder id; `1` is the user root. */
  parentId: string;
}

/**
 * `CreateFolderRequest` (urn:zimbraMail) for a mail folder with `fie:1`
 * ("fetch if exists"): an existing folder of that name is returned instead of
 * the fault `mail.ALREADY_EXISTS`, which makes the call safe to resend.
 * Source: zm-mailbox CreateFolder.java, reference §5.
 */
export function createFolderRequest(params: CreateFolderParams): SoapCall<Folder> {
  return {
    soapRequest: 'CreateFolderRequest',
    resend: 'any',
    body: {
      CreateFolderRequest: {
        _jsns: 'urn:zimbraMail',
        folder: { name: params.name, l: params.parentId, view: 'message', fie: 1 },
      },
    },
    read: (response) => readFolderResponse(response, 'CreateFolderRequest'),
  };
}

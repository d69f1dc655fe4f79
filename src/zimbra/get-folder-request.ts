import { readFolderResponse, type Folder } from './folder-element.js';
import type { SoapCall } from './soap-call.js';

/**
 * `GetFolderRequest` (urn:zimbraMail) for one folder by absolute path, without
 * subfolders (`depth: 0`). A missing path is the fault `mail.NO_SUCH_FOLDER`.
 * Source: zm-mailbox GetFolder.java, reference §5.
 */
export function getFolderRequest(params: { path: string }): SoapCall<Folder> {
  return {
    soapRequest: 'GetFolderRequest',
    resend: 'any',
    body: {
      GetFolderRequest: { _jsns: 'urn:zimbraMail', folder: { path: params.path }, depth: 0 },
    },
    read: (response) => readFolderResponse(response, 'GetFolderRequest'),
  };
}

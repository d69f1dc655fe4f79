import { describe, expect, it } from 'vitest';
import { table } from '../../src/cli/output.js';
import { terminalSafe } from '../../src/cli/terminal-text.js';

describe('text from mail shown on a terminal', () => {
  it('writes escape sequences, bidi overrides and line breaks as visible escapes', () => {
    const subject = 'Invoice \u001b[2J\u001b]0;owned\u0007 paid \u202eexe.fdp\r\nnext';
    expect(terminalSafe(subject)).toBe(
      'Invoice \\x1b[2J\\x1b]0;owned\\x07 paid \\u202eexe.fdp\\x0d\\x0anext',
    );
  });

  it('leaves ordinary text, accents included, as it is', () => {
    expect(terminalSafe('Grüße aus Köln — 100 % <a@b.example>')).toBe(
      'Grüße aus Köln — 100 % <a@b.example>',
    );
  });

  it('aligns table columns on the escaped text', () => {
    const [head, row] = table(['SUBJECT', 'N'], [['a\u001bb', '1']]);
    expect(row).toBe('a\\x1bb   1');
    expect(head!.lastIndexOf('N')).toBe(row!.lastIndexOf('1'));
  });
});

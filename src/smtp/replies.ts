import type { SMTPServerSession } from 'smtp-server';
import { useEnhancedCode } from './patches/enhanced-codes.js';

/** An SMTP refusal with its reply code, enhanced status code and a sentence a person understands. */
export class SmtpReply extends Error {
  constructor(readonly responseCode: number, readonly enhancedCode: string, message: string) {
    super(message);
  }
}

/** Hands a refusal to smtp-server's callback, remembering its enhanced code for the reply. */
export function refuse(session: SMTPServerSession, reply: SmtpReply, callback: (error: Error) => void): void {
  useEnhancedCode(session, reply.enhancedCode);
  callback(reply);
}

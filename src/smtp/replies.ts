import type { SMTPServer, SMTPServerSession } from 'smtp-server';
import { watchConnections } from './connections.js';

/** An SMTP refusal with its reply code, enhanced status code and a sentence a person understands. */
export class SmtpReply extends Error {
  constructor(readonly responseCode: number, readonly enhancedCode: string, message: string) {
    super(message);
  }
}

// smtp-server derives the enhanced status code from the reply code alone
// (550 is always 5.1.1), but "domain not accepted" is 5.1.2 (RFC 3463). Each
// refusal therefore leaves its enhanced code on the session, and this hook,
// installed on every connection, uses it for the next reply only.
const SESSION_KEY = Symbol('enhancedCode');

type SessionWithCode = SMTPServerSession & { [SESSION_KEY]?: string };

/** Makes SmtpReply's enhanced code appear on the wire; a test pins the behaviour. */
export function installEnhancedCodes(server: SMTPServer): void {
  watchConnections(server, (connection) => {
    const derive = connection._getEnhancedStatusCode?.bind(connection);
    if (derive === undefined) return;
    connection._getEnhancedStatusCode = (code, context) => {
      const session = connection.session as SessionWithCode;
      const chosen = session[SESSION_KEY];
      if (chosen === undefined) return derive(code, context);
      // Only when set: deleting a property that is not there still costs, on every reply.
      delete session[SESSION_KEY];
      return code >= 400 ? chosen : derive(code, context);
    };
  });
}

/** Makes the next refusal sent on this session carry `reply`'s enhanced code. */
export function useEnhancedCode(session: SMTPServerSession, reply: SmtpReply): void {
  (session as SessionWithCode)[SESSION_KEY] = reply.enhancedCode;
}

/** Hands a refusal to smtp-server's callback, remembering its enhanced code for the reply. */
export function refuse(session: SMTPServerSession, reply: SmtpReply, callback: (error: Error) => void): void {
  useEnhancedCode(session, reply);
  callback(reply);
}

import type { SMTPServerSession } from 'smtp-server';
import { watchConnections } from './connection-registry.js';
import type { ServerInternals } from './internals.js';

// smtp-server derives the enhanced status code from the reply code alone
// (550 is always 5.1.1), but "domain not accepted" is 5.1.2 (RFC 3463). Each
// refusal therefore leaves its enhanced code on the session, and this hook,
// installed on every connection, uses it for the next reply only.
const SESSION_KEY = Symbol('enhancedCode');

type SessionWithCode = SMTPServerSession & { [SESSION_KEY]?: string };

/**
 * Replaces each connection's private `_getEnhancedStatusCode`, which `send`
 * asks for the code of every reply, so that a code left by useEnhancedCode
 * appears on the wire; every other reply keeps smtp-server's own code.
 */
export function installEnhancedCodes(server: ServerInternals): void {
  watchConnections(server, (connection) => {
    const derive = connection._getEnhancedStatusCode.bind(connection);
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

/**
 * Makes the next reply of this session carry `enhancedCode` if it is a
 * refusal. Relies on smtp-server handing its hooks the connection's own
 * session object, which installEnhancedCodes reads.
 */
export function useEnhancedCode(session: SMTPServerSession, enhancedCode: string): void {
  (session as SessionWithCode)[SESSION_KEY] = enhancedCode;
}

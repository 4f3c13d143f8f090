import { generate } from 'selfsigned';

/** A PEM certificate and key for STARTTLS. */
export interface TlsPair {
  cert: string;
  key: string;
}

/**
 * A self-signed certificate for STARTTLS when none is configured. Senders of
 * test mail rarely verify it; what matters is that STARTTLS works. An EC key
 * keeps start-up fast.
 */
export async function selfSignedCertificate(hostName: string): Promise<TlsPair> {
  const pems = await generate([{ name: 'commonName', value: hostName }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    notAfterDate: new Date(Date.now() + 365 * 86_400_000),
  });
  return { cert: pems.cert, key: pems.private };
}

import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** PEM files of a throwaway PKI for one test server; every path is absolute. */
export interface TestCertificates {
  /** The CA that signed the server and client certificates. */
  readonly caFile: string;
  readonly serverCertFile: string;
  readonly serverKeyFile: string;
  /** For mutual TLS: a client certificate signed by the same CA. */
  readonly clientCertFile: string;
  readonly clientKeyFile: string;
  /** A CA that signed nothing here: trusting only it must fail verification. */
  readonly otherCaFile: string;
}

const CA = 'basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\n';
// An IP SAN: Go and Node ignore the CN when checking the host name.
const SERVER = 'basicConstraints=CA:FALSE\nsubjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n';
const CLIENT = 'basicConstraints=CA:FALSE\nextendedKeyUsage=clientAuth\n';

/**
 * Generates with openssl, into `dir`, a CA, a server certificate for 127.0.0.1 and a client
 * certificate signed by it, and an unrelated second CA; all valid for a day.
 */
export async function createTestCertificates(dir: string): Promise<TestCertificates> {
  const pem = (name: string): string => join(dir, `${name}.pem`);
  const ca = { certFile: pem('ca'), keyFile: pem('ca-key') };
  await Promise.all([
    certificate(dir, 'ca', CA, ca),
    certificate(dir, 'other-ca', CA, { certFile: pem('other-ca'), keyFile: pem('other-ca-key') }),
  ]);
  const server = { certFile: pem('server'), keyFile: pem('server-key') };
  const client = { certFile: pem('client'), keyFile: pem('client-key') };
  await Promise.all([
    certificate(dir, 'server', SERVER, server, ca),
    certificate(dir, 'client', CLIENT, client, ca),
  ]);
  return {
    caFile: ca.certFile,
    serverCertFile: server.certFile,
    serverKeyFile: server.keyFile,
    clientCertFile: client.certFile,
    clientKeyFile: client.keyFile,
    otherCaFile: pem('other-ca'),
  };
}

interface KeyPair {
  readonly certFile: string;
  readonly keyFile: string;
}

/** A new P-256 key (fast, accepted by Go and Node) and its certificate, self-signed unless `issuer`. */
async function certificate(
  dir: string,
  name: string,
  extensions: string,
  out: KeyPair,
  issuer?: KeyPair,
): Promise<void> {
  const request = join(dir, `${name}.csr`);
  const extFile = join(dir, `${name}.ext`);
  writeFileSync(extFile, extensions);
  await openssl(
    ['req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'],
    ['-subj', `/CN=eventbus-test-${name}`, '-keyout', out.keyFile, '-out', request],
  );
  const signer = issuer ? ['-CA', issuer.certFile, '-CAkey', issuer.keyFile] : ['-signkey', out.keyFile];
  // A random serial: a shared serial file would race between certificates signed in parallel.
  await openssl(
    ['x509', '-req', '-days', '1', '-set_serial', `0x${randomBytes(8).toString('hex')}`],
    [...signer, '-in', request, '-extfile', extFile, '-out', out.certFile],
  );
}

async function openssl(command: string[], files: string[]): Promise<void> {
  try {
    await run('openssl', [...command, ...files]);
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr ?? '';
    throw new Error(`openssl ${command.join(' ')} failed: ${stderr || (error as Error).message}`, {
      cause: error,
    });
  }
}

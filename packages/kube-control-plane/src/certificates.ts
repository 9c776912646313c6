import { KeyObject, randomBytes, webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';

// ECDSA P-256 everywhere: fast to generate (no RSA prime search), and what
// kube-apiserver accepts for serving, client and service-account keys.
const EC: EcKeyGenParams & EcdsaParams = {
  name: 'ECDSA',
  namedCurve: 'P-256',
  hash: 'SHA-256',
};
const crypto = webcrypto as unknown as Crypto;

/** A PEM certificate and its PKCS#8 PEM private key. */
export interface PemPair {
  certPem: string;
  keyPem: string;
}

/** The certificate authority of one control plane (kept in memory to sign client certificates). */
export interface CertificateAuthority extends PemPair {
  cert: x509.X509Certificate;
  keys: CryptoKeyPair;
}

async function generateKeys(): Promise<CryptoKeyPair> {
  return (await crypto.subtle.generateKey(EC, true, [
    'sign',
    'verify',
  ])) as CryptoKeyPair;
}

function privateKeyPem(key: CryptoKey): string {
  return KeyObject.from(key as unknown as webcrypto.CryptoKey)
    .export({ type: 'pkcs8', format: 'pem' })
    .toString();
}

function publicKeyPem(key: CryptoKey): string {
  return KeyObject.from(key as unknown as webcrypto.CryptoKey)
    .export({ type: 'spki', format: 'pem' })
    .toString();
}

/** A positive random serial number (hex, first bit clear). */
function serialNumber(): string {
  const bytes = randomBytes(16);
  bytes[0] &= 0x7f;
  return bytes.toString('hex');
}

function validity(days: number) {
  // A minute in the past: tolerate a clock that steps between processes.
  const notBefore = new Date(Date.now() - 60_000);
  const notAfter = new Date(Date.now() + days * 24 * 3600_000);
  return { notBefore, notAfter };
}

/** A self-signed CA, valid for `days`. */
export async function createCertificateAuthority(
  commonName: string,
  days = 7,
): Promise<CertificateAuthority> {
  const keys = await generateKeys();
  const cert = await x509.X509CertificateGenerator.createSelfSigned(
    {
      serialNumber: serialNumber(),
      name: [{ CN: [commonName] }],
      ...validity(days),
      signingAlgorithm: EC,
      keys,
      extensions: [
        new x509.BasicConstraintsExtension(true, 0, true),
        new x509.KeyUsagesExtension(
          x509.KeyUsageFlags.keyCertSign |
            x509.KeyUsageFlags.cRLSign |
            x509.KeyUsageFlags.digitalSignature,
          true,
        ),
        await x509.SubjectKeyIdentifierExtension.create(
          keys.publicKey,
          false,
          crypto,
        ),
      ],
    },
    crypto,
  );
  return {
    cert,
    keys,
    certPem: cert.toString('pem'),
    keyPem: privateKeyPem(keys.privateKey),
  };
}

async function issue(
  ca: CertificateAuthority,
  subject: x509.JsonName,
  usage: x509.ExtendedKeyUsage,
  names: x509.JsonGeneralNames,
  days: number,
): Promise<PemPair> {
  const keys = await generateKeys();
  const extensions: x509.Extension[] = [
    new x509.BasicConstraintsExtension(false, undefined, true),
    new x509.KeyUsagesExtension(
      x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment,
      true,
    ),
    new x509.ExtendedKeyUsageExtension([usage]),
    await x509.AuthorityKeyIdentifierExtension.create(
      ca.keys.publicKey,
      false,
      crypto,
    ),
  ];
  if (names.length) {
    extensions.push(new x509.SubjectAlternativeNameExtension(names));
  }
  const cert = await x509.X509CertificateGenerator.create(
    {
      serialNumber: serialNumber(),
      subject,
      issuer: ca.cert.subject,
      ...validity(days),
      signingAlgorithm: EC,
      publicKey: keys.publicKey,
      signingKey: ca.keys.privateKey,
      extensions,
    },
    crypto,
  );
  return {
    certPem: cert.toString('pem'),
    keyPem: privateKeyPem(keys.privateKey),
  };
}

/** kube-apiserver's serving certificate: SANs 127.0.0.1, localhost and the in-cluster names. */
export function createServingCertificate(
  ca: CertificateAuthority,
  days = 7,
): Promise<PemPair> {
  return issue(
    ca,
    [{ CN: ['kube-apiserver'] }],
    x509.ExtendedKeyUsage.serverAuth,
    [
      { type: 'ip', value: '127.0.0.1' },
      { type: 'dns', value: 'localhost' },
      { type: 'dns', value: 'kubernetes' },
      { type: 'dns', value: 'kubernetes.default' },
      { type: 'dns', value: 'kubernetes.default.svc' },
      { type: 'dns', value: 'kubernetes.default.svc.cluster.local' },
    ],
    days,
  );
}

/**
 * A client certificate kube-apiserver maps to user `user` (CN) in `groups`
 * (O), through its --client-ca-file.
 */
export function createClientCertificate(
  ca: CertificateAuthority,
  user: string,
  groups: string[] = [],
  days = 7,
): Promise<PemPair> {
  return issue(
    ca,
    [{ CN: [user] }, ...groups.map(group => ({ O: [group] }))],
    x509.ExtendedKeyUsage.clientAuth,
    [],
    days,
  );
}

/** The service-account token signing key pair, as PEM (PKCS#8 private, SPKI public). */
export async function createServiceAccountKeys(): Promise<{
  privateKeyPem: string;
  publicKeyPem: string;
}> {
  const keys = await generateKeys();
  return {
    privateKeyPem: privateKeyPem(keys.privateKey),
    publicKeyPem: publicKeyPem(keys.publicKey),
  };
}

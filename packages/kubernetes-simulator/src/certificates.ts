import {
  createPrivateKey,
  KeyObject,
  randomBytes,
  webcrypto,
} from 'node:crypto';
import * as x509 from '@peculiar/x509';

// Certificates for Paved's API servers: the simulator (runtime: the demo
// clusters) and @paved/kube-control-plane (tests), which imports this module
// from here. ECDSA P-256 for every key made here: fast to generate (no RSA
// prime search), and what kube-apiserver accepts for serving, client and
// service-account keys. A CA loaded from files may also be RSA.
const EC: EcKeyGenParams & EcdsaParams = {
  name: 'ECDSA',
  namedCurve: 'P-256',
  hash: 'SHA-256',
};
const RSA: RsaHashedImportParams = {
  name: 'RSASSA-PKCS1-v1_5',
  hash: 'SHA-256',
};
const crypto = webcrypto as unknown as Crypto;

/** A PEM certificate and its PKCS#8 PEM private key. */
export interface PemPair {
  certPem: string;
  keyPem: string;
}

/** A certificate authority, kept in memory to sign serving and client certificates. */
export interface CertificateAuthority extends PemPair {
  cert: x509.X509Certificate;
  keys: CryptoKeyPair;
  /** The algorithm certificates are signed with (the CA key's). */
  signingAlgorithm: EcdsaParams | RsaHashedImportParams;
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
    signingAlgorithm: EC,
    certPem: cert.toString('pem'),
    keyPem: privateKeyPem(keys.privateKey),
  };
}

/**
 * A CA from its PEM certificate and private key (PKCS#8, or SEC1 / PKCS#1
 * as openssl writes them; ECDSA P-256 or RSA), e.g. one kept on disk so a
 * kubeconfig stays valid across restarts. Throws when the key is not the
 * certificate's or the certificate is not a CA.
 */
export async function loadCertificateAuthority(
  pair: PemPair,
): Promise<CertificateAuthority> {
  const cert = new x509.X509Certificate(pair.certPem);
  const basic = cert.getExtension(x509.BasicConstraintsExtension);
  if (!basic?.ca) {
    throw new Error(
      `Certificate ${cert.subject} is not a CA (basicConstraints CA:TRUE missing)`,
    );
  }
  const keyObject = createPrivateKey(pair.keyPem);
  const type = keyObject.asymmetricKeyType;
  let algorithm: EcKeyImportParams | RsaHashedImportParams;
  let signingAlgorithm: EcdsaParams | RsaHashedImportParams;
  if (type === 'ec') {
    algorithm = { name: 'ECDSA', namedCurve: 'P-256' };
    signingAlgorithm = EC;
  } else if (type === 'rsa') {
    algorithm = RSA;
    signingAlgorithm = RSA;
  } else {
    throw new Error(`Unsupported CA key type ${type} (ECDSA P-256 or RSA)`);
  }
  const pkcs8 = keyObject.export({ type: 'pkcs8', format: 'der' });
  const privateKey = await crypto.subtle.importKey(
    'pkcs8',
    pkcs8,
    algorithm,
    true,
    ['sign'],
  );
  const publicKey = await cert.publicKey.export(algorithm, ['verify'], crypto);
  // The key must be the certificate's: sign and verify a probe.
  const probe = randomBytes(32);
  const signature = await crypto.subtle.sign(
    signingAlgorithm,
    privateKey,
    probe,
  );
  if (
    !(await crypto.subtle.verify(signingAlgorithm, publicKey, signature, probe))
  ) {
    throw new Error(
      `The private key does not belong to CA certificate ${cert.subject}`,
    );
  }
  return {
    cert,
    keys: { privateKey, publicKey },
    signingAlgorithm,
    certPem: cert.toString('pem'),
    keyPem: keyObject.export({ type: 'pkcs8', format: 'pem' }).toString(),
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
  // Never valid beyond the CA: a verifier would reject the chain then.
  const { notBefore, notAfter } = validity(days);
  const cert = await x509.X509CertificateGenerator.create(
    {
      serialNumber: serialNumber(),
      subject,
      issuer: ca.cert.subject,
      notBefore,
      notAfter:
        notAfter.getTime() > ca.cert.notAfter.getTime()
          ? ca.cert.notAfter
          : notAfter,
      signingAlgorithm: ca.signingAlgorithm ?? EC,
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

/** Options of {@link createServingCertificate}. */
export interface ServingCertificateOptions {
  /** Subject CN. Default `kube-apiserver`. */
  commonName?: string;
  /**
   * Host names and IP addresses (SANs). Default 127.0.0.1, localhost and
   * the in-cluster names of the `kubernetes` Service.
   */
  hosts?: string[];
  /** Default 7. */
  days?: number;
}

const IP_PATTERN = /^(\d{1,3}(\.\d{1,3}){3}|[0-9a-f]*:[0-9a-f:.]*)$/i;

/** The SANs kube-apiserver's serving certificate carries by default. */
export const KUBE_APISERVER_HOSTS: readonly string[] = [
  '127.0.0.1',
  'localhost',
  'kubernetes',
  'kubernetes.default',
  'kubernetes.default.svc',
  'kubernetes.default.svc.cluster.local',
];

/** An API server's serving certificate, signed by `ca`. */
export function createServingCertificate(
  ca: CertificateAuthority,
  options: ServingCertificateOptions | number = {},
): Promise<PemPair> {
  const o = typeof options === 'number' ? { days: options } : options;
  return issue(
    ca,
    [{ CN: [o.commonName ?? 'kube-apiserver'] }],
    x509.ExtendedKeyUsage.serverAuth,
    (o.hosts ?? KUBE_APISERVER_HOSTS).map(host =>
      IP_PATTERN.test(host)
        ? { type: 'ip', value: host }
        : { type: 'dns', value: host },
    ),
    o.days ?? 7,
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

/** Base64 of a PEM text: what kubeconfig's `certificate-authority-data` and client-node's `caData` take. */
export function pemToData(pem: string): string {
  return Buffer.from(pem).toString('base64');
}

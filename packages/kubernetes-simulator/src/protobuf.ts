// Just enough of Kubernetes' protobuf encoding to read the access reviews
// kubectl sends as `application/vnd.kubernetes.protobuf` (its typed clients
// use protobuf for built-in groups; `kubectl auth can-i` and `auth whoami`
// cannot be switched to JSON). Other protobuf bodies are answered 415.

/** The media type of Kubernetes' protobuf encoding. */
export const PROTOBUF_MEDIA_TYPE = 'application/vnd.kubernetes.protobuf';

const MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]); // "k8s\0"

type Fields = Map<number, (Buffer | number)[]>;

function readVarint(buf: Buffer, start: number): [number, number] {
  let value = 0;
  let shift = 0;
  let pos = start;
  for (;;) {
    if (pos >= buf.length) {
      throw new Error('truncated varint');
    }
    const byte = buf[pos++];
    value += (byte & 0x7f) * 2 ** shift;
    if ((byte & 0x80) === 0) {
      return [value, pos];
    }
    shift += 7;
  }
}

/** The fields of one protobuf message: length-delimited as bytes, varints as numbers. */
function parseMessage(buf: Buffer): Fields {
  const fields: Fields = new Map();
  let pos = 0;
  while (pos < buf.length) {
    let key: number;
    [key, pos] = readVarint(buf, pos);
    const field = Math.floor(key / 8);
    const wire = key & 7;
    let value: Buffer | number;
    if (wire === 0) {
      [value, pos] = readVarint(buf, pos);
    } else if (wire === 2) {
      let length: number;
      [length, pos] = readVarint(buf, pos);
      value = buf.subarray(pos, pos + length);
      pos += length;
    } else if (wire === 1) {
      value = buf.subarray(pos, pos + 8);
      pos += 8;
    } else if (wire === 5) {
      value = buf.subarray(pos, pos + 4);
      pos += 4;
    } else {
      throw new Error(`unsupported protobuf wire type ${wire}`);
    }
    const list = fields.get(field) ?? [];
    list.push(value);
    fields.set(field, list);
  }
  return fields;
}

function bytes(fields: Fields, n: number): Buffer | undefined {
  const v = fields.get(n)?.[0];
  return Buffer.isBuffer(v) ? v : undefined;
}

function text(fields: Fields, n: number): string | undefined {
  return bytes(fields, n)?.toString('utf8');
}

/** The envelope: runtime.Unknown{typeMeta{apiVersion, kind}, raw}. */
export function decodeEnvelope(body: Buffer): {
  apiVersion?: string;
  kind?: string;
  raw: Buffer;
} {
  if (body.length < 4 || !body.subarray(0, 4).equals(MAGIC)) {
    throw new Error('not a Kubernetes protobuf message (no k8s\\0 prefix)');
  }
  const unknown = parseMessage(body.subarray(4));
  const typeMeta = bytes(unknown, 1);
  const tm = typeMeta ? parseMessage(typeMeta) : new Map();
  return {
    apiVersion: text(tm, 1),
    kind: text(tm, 2),
    raw: bytes(unknown, 2) ?? Buffer.alloc(0),
  };
}

/**
 * A SelfSubjectAccessReview (authorization.k8s.io/v1) from its protobuf
 * encoding, as JSON: spec.resourceAttributes or spec.nonResourceAttributes.
 */
export function decodeSelfSubjectAccessReview(body: Buffer): any {
  const { raw } = decodeEnvelope(body);
  const review = parseMessage(raw);
  const spec = bytes(review, 2);
  const out: any = {
    apiVersion: 'authorization.k8s.io/v1',
    kind: 'SelfSubjectAccessReview',
    spec: {},
  };
  if (!spec) {
    return out;
  }
  const s = parseMessage(spec);
  const resource = bytes(s, 1);
  if (resource) {
    const r = parseMessage(resource);
    const names = [
      'namespace',
      'verb',
      'group',
      'version',
      'resource',
      'subresource',
      'name',
    ];
    const attributes: Record<string, string> = {};
    names.forEach((name, i) => {
      const value = text(r, i + 1);
      if (value !== undefined) {
        attributes[name] = value;
      }
    });
    out.spec.resourceAttributes = attributes;
  }
  const nonResource = bytes(s, 2);
  if (nonResource) {
    const n = parseMessage(nonResource);
    out.spec.nonResourceAttributes = {
      ...(text(n, 1) !== undefined ? { path: text(n, 1) } : {}),
      ...(text(n, 2) !== undefined ? { verb: text(n, 2) } : {}),
    };
  }
  return out;
}

import dns from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import { DomainError } from '../errors.js';

/**
 * The one guard for requests the platform makes to addresses a user gave it (webhooks, provider URLs a
 * newsroom may set). A URL is checked when it is accepted (input time) and again when it is called (send
 * time): https only unless http is configured; every address the name resolves to must be public (no
 * loopback, private, link-local, CGNAT, multicast, unspecified, IPv4-mapped or NAT64 forms of those,
 * documentation or reserved ranges); no cloud metadata host; none of the platform's own service ports.
 * The send path resolves the name inside the connection itself and checks what it connects to, so a name
 * that changes its answer between the two checks still cannot reach inside. Redirects are not followed.
 */
export interface OutboundPolicy {
  allowHttp: boolean;
  /** "host" or "host:port" entries exempt from the address checks (e.g. a receiver on the LAN, tests). */
  allowList: string[];
  /** Ports refused on any host: the platform's own API, PostgreSQL, Redis. */
  blockedPorts: number[];
}

export class OutboundRefused extends DomainError {
  constructor(what: string, reason: string) {
    super('BAD_USER_INPUT', `${what} is not allowed: ${reason}`, { reason });
  }
}

const METADATA_HOSTS = new Set([
  'metadata.google.internal',
  'metadata.goog',
  'metadata',
  'instance-data',
  'instance-data.ec2.internal',
  'metadata.azure.com',
]);

const blocked = new net.BlockList();
for (const [addr, bits] of [
  ['0.0.0.0', 8], // "this network", unspecified
  ['10.0.0.0', 8],
  ['100.64.0.0', 10], // CGNAT (also Alibaba's metadata 100.100.100.200)
  ['127.0.0.0', 8],
  ['169.254.0.0', 16], // link-local, cloud metadata 169.254.169.254
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.88.99.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, broadcast
] as const)
  blocked.addSubnet(addr, bits, 'ipv4');
for (const [addr, bits] of [
  ['::', 128],
  ['::1', 128],
  ['100::', 64], // discard
  ['2001:db8::', 32], // documentation
  ['2002::', 16], // 6to4 wraps an IPv4 address
  ['fc00::', 7], // unique local (AWS metadata fd00:ec2::254)
  ['fe80::', 10], // link-local
  ['fec0::', 10], // site-local
  ['ff00::', 8], // multicast
] as const)
  blocked.addSubnet(addr, bits, 'ipv6');

/** The 8 hextets of an IPv6 address. */
function hextets(ip: string): number[] {
  let s = ip;
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(s);
  if (v4) {
    const o = v4[1].split('.').map(Number);
    s =
      s.slice(0, -v4[1].length) + `${((o[0] << 8) | o[1]).toString(16)}:${((o[2] << 8) | o[3]).toString(16)}`;
  }
  const [head, tail] = s.split('::');
  const h = head ? head.split(':') : [];
  const t = tail !== undefined && tail !== '' ? tail.split(':') : [];
  const fill = tail === undefined ? [] : Array<string>(8 - h.length - t.length).fill('0');
  return [...h, ...fill, ...t].map((x) => parseInt(x, 16));
}

/** Why an address may not be reached, or null when it may. */
export function disallowedAddress(ip: string): string | null {
  const family = net.isIP(ip);
  if (family === 4)
    return blocked.check(ip, 'ipv4') ? `${ip} is a loopback, private, link-local or reserved address` : null;
  if (family !== 6) return `${ip} is not an IP address`;
  const x = hextets(ip.toLowerCase());
  // IPv4-mapped (::ffff:a.b.c.d), IPv4-compatible (::a.b.c.d) and NAT64 (64:ff9b::a.b.c.d) carry an IPv4 address.
  const embedsV4 =
    (x.slice(0, 5).every((v) => v === 0) && (x[5] === 0xffff || x[5] === 0)) ||
    (x[0] === 0x64 && x[1] === 0xff9b && x.slice(2, 6).every((v) => v === 0));
  if (embedsV4 && !(x[6] === 0 && x[7] <= 1 && x[5] === 0)) {
    const v4 = `${x[6] >> 8}.${x[6] & 255}.${x[7] >> 8}.${x[7] & 255}`;
    return blocked.check(v4, 'ipv4') ? `${ip} wraps the internal address ${v4}` : null;
  }
  return blocked.check(ip, 'ipv6') ? `${ip} is a loopback, private, link-local or reserved address` : null;
}

function servicePort(url: string | undefined, fallback: number): number {
  if (!url) return fallback;
  try {
    return Number(new URL(url).port) || fallback;
  } catch {
    return fallback;
  }
}

export function outboundPolicyFromEnv(env: NodeJS.ProcessEnv = process.env): OutboundPolicy {
  const ports = [
    Number(env.PORT) || 4000,
    servicePort(env.DATABASE_URL, 5432),
    servicePort(env.REDIS_URL, 6379),
    5432,
    6379,
  ];
  if (Number(env.WORKER_METRICS_PORT)) ports.push(Number(env.WORKER_METRICS_PORT));
  return {
    allowHttp: /^(1|true)$/i.test(env.MEDIAAI_OUTBOUND_ALLOW_HTTP ?? ''),
    allowList: (env.MEDIAAI_OUTBOUND_ALLOWLIST ?? '')
      .split(',')
      .map((s) => s.trim().toLowerCase())
      .filter(Boolean),
    blockedPorts: [...new Set(ports)],
  };
}

let current: OutboundPolicy | null = null;

/** The process's policy: set at start from the validated configuration, else read from the environment. */
export function outboundPolicy(): OutboundPolicy {
  return (current ??= outboundPolicyFromEnv());
}

export function setOutboundPolicy(policy: OutboundPolicy): void {
  current = policy;
}

interface Target {
  url: URL;
  host: string;
  port: number;
  allowListed: boolean;
}

function target(raw: string, what: string, policy: OutboundPolicy): Target {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new OutboundRefused(what, 'it is not an absolute URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw new OutboundRefused(what, `${url.protocol} URLs are not supported; use https://`);
  if (url.username || url.password)
    throw new OutboundRefused(what, 'credentials in the URL are not accepted');
  const host = url.hostname
    .replace(/^\[|\]$/g, '')
    .toLowerCase()
    .replace(/\.$/, '');
  const port = Number(url.port) || (url.protocol === 'https:' ? 443 : 80);
  const allowListed = policy.allowList.includes(host) || policy.allowList.includes(`${host}:${port}`);
  if (!allowListed) {
    if (url.protocol === 'http:' && !policy.allowHttp)
      throw new OutboundRefused(what, 'plain http is not enabled on this platform; use https://');
    if (host === 'localhost' || host.endsWith('.localhost') || METADATA_HOSTS.has(host))
      throw new OutboundRefused(what, `${host} is an internal host`);
    if (policy.blockedPorts.includes(port))
      throw new OutboundRefused(what, `port ${port} belongs to the platform's own services`);
  }
  return { url, host, port, allowListed };
}

async function resolveChecked(host: string, what: string): Promise<dns.LookupAddress[]> {
  let addresses: dns.LookupAddress[];
  if (net.isIP(host)) addresses = [{ address: host, family: net.isIP(host) }];
  else {
    try {
      addresses = await dns.promises.lookup(host, { all: true, verbatim: true });
    } catch {
      throw new OutboundRefused(what, `the host name ${host} does not resolve`);
    }
  }
  if (!addresses.length) throw new OutboundRefused(what, `the host name ${host} does not resolve`);
  for (const a of addresses) {
    const why = disallowedAddress(a.address);
    if (why) throw new OutboundRefused(what, why);
  }
  return addresses;
}

/** Input-time check: throws OutboundRefused (BAD_USER_INPUT) naming what to fix; returns the parsed URL. */
export async function checkOutboundUrl(
  raw: string,
  what = 'The URL',
  policy = outboundPolicy(),
): Promise<URL> {
  const t = target(raw, what, policy);
  if (!t.allowListed) await resolveChecked(t.host, what);
  return t.url;
}

export interface OutboundResponse {
  status: number;
  ok: boolean;
  headers: http.IncomingHttpHeaders;
  text: string;
}

/**
 * Send-time: the request goes only to addresses that pass the checks (the name is resolved and checked by
 * the connection's own lookup). Redirects are returned, never followed. Throws OutboundRefused before any
 * connection is opened when the target is not allowed.
 */
export async function outboundRequest(
  raw: string,
  init: { method?: string; headers?: Record<string, string>; body?: string; timeoutMs?: number } = {},
  what = 'The URL',
  policy = outboundPolicy(),
): Promise<OutboundResponse> {
  const t = target(raw, what, policy);
  if (!t.allowListed && net.isIP(t.host)) await resolveChecked(t.host, what);
  const lookup: net.LookupFunction = (hostname, options, callback) => {
    dns.lookup(hostname, { all: true, verbatim: true }, (err, addresses) => {
      if (err) return callback(err, '', 4);
      const bad = t.allowListed ? null : addresses.map((a) => disallowedAddress(a.address)).find(Boolean);
      if (bad) return callback(new OutboundRefused(what, bad), '', 4);
      if ((options as { all?: boolean }).all)
        return (callback as unknown as (e: null, a: dns.LookupAddress[]) => void)(null, addresses);
      callback(null, addresses[0].address, addresses[0].family);
    });
  };
  const lib = t.url.protocol === 'https:' ? https : http;
  return new Promise<OutboundResponse>((resolve, reject) => {
    const req = lib.request(
      t.url,
      {
        method: init.method ?? 'GET',
        headers: init.headers,
        lookup,
        agent: false,
        timeout: init.timeoutMs ?? 10_000,
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => {
          if (text.length < 1_000_000) text += c;
        });
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            ok: (res.statusCode ?? 0) >= 200 && (res.statusCode ?? 0) < 300,
            headers: res.headers,
            text,
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('timeout', () =>
      req.destroy(new Error(`${what}: no answer within ${init.timeoutMs ?? 10_000} ms`)),
    );
    req.on('error', reject);
    req.end(init.body);
  });
}

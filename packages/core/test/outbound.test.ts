import dns from 'node:dns';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  checkOutboundUrl,
  disallowedAddress,
  OutboundRefused,
  outboundRequest,
  type OutboundPolicy,
} from '../src/index.js';

/** A real local server that counts every TCP connection it accepts. */
async function countingServer(handler: http.RequestListener) {
  const server = http.createServer(handler);
  let connections = 0;
  server.on('connection', () => connections++);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as net.AddressInfo).port,
    connections: () => connections,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

let target: Awaited<ReturnType<typeof countingServer>>;
let receiver: Awaited<ReturnType<typeof countingServer>>;
let policy: OutboundPolicy;

beforeAll(async () => {
  target = await countingServer((_req, res) => res.end('inside'));
  // The one allow-listed receiver answers with a redirect to the internal target.
  receiver = await countingServer((_req, res) => {
    res.writeHead(307, { location: `http://127.0.0.1:${target.port}/` });
    res.end();
  });
  policy = { allowHttp: true, allowList: [`127.0.0.1:${receiver.port}`], blockedPorts: [4000, 5432, 6379] };
});
afterAll(async () => {
  await target.close();
  await receiver.close();
});

describe('address checks', () => {
  it.each([
    ['127.0.0.1'],
    ['127.1.2.3'],
    ['10.1.2.3'],
    ['172.20.0.1'],
    ['192.168.1.1'],
    ['169.254.169.254'],
    ['100.64.0.1'],
    ['100.100.100.200'],
    ['0.0.0.0'],
    ['224.0.0.1'],
    ['255.255.255.255'],
    ['::1'],
    ['::'],
    ['::ffff:127.0.0.1'],
    ['::ffff:7f00:1'],
    ['::ffff:169.254.169.254'],
    ['64:ff9b::10.0.0.1'],
    ['fe80::1'],
    ['fd00:ec2::254'],
    ['ff02::1'],
  ])('refuses %s', (ip) => {
    expect(disallowedAddress(ip)).not.toBeNull();
  });

  it.each([['93.184.215.14'], ['1.1.1.1'], ['2606:4700:4700::1111'], ['::ffff:8.8.8.8']])(
    'allows the public address %s',
    (ip) => {
      expect(disallowedAddress(ip)).toBeNull();
    },
  );
});

describe('input-time check', () => {
  const inside = () => [
    `http://127.0.0.1:${target.port}/hook`,
    `http://localhost:${target.port}/`,
    `http://LOCALHOST.:${target.port}/`,
    `http://[::1]:${target.port}/`,
    `http://[::ffff:127.0.0.1]:${target.port}/`,
    `http://0.0.0.0:${target.port}/`,
    `http://2130706433:${target.port}/`,
    `http://0x7f000001:${target.port}/`,
    `http://127.1:${target.port}/`,
    `http://${os.hostname()}:${target.port}/`,
    'http://169.254.169.254/latest/meta-data/',
    'http://metadata.google.internal/computeMetadata/v1/',
    'https://example.com:6379/',
    'https://example.com:5432/',
    'ftp://example.com/file',
    'file:///etc/passwd',
    'gopher://127.0.0.1:6379/_FLUSHALL',
    'https://user:pass@example.com/',
    'not a url',
  ];

  it('refuses loopback, private, metadata, service-port and non-http URLs with BAD_USER_INPUT', async () => {
    for (const url of inside()) {
      const err = await checkOutboundUrl(url, 'webhookUrl', policy).then(
        () => null,
        (e: unknown) => e,
      );
      expect(err, url).toBeInstanceOf(OutboundRefused);
      expect((err as OutboundRefused).code).toBe('BAD_USER_INPUT');
      expect((err as Error).message).toMatch(/^webhookUrl is not allowed: /);
    }
    expect(target.connections()).toBe(0);
  });

  it('refuses a host name that resolves to an internal address', async () => {
    const addresses = await dns.promises.lookup(os.hostname(), { all: true }).catch(() => []);
    const err = await checkOutboundUrl(`https://${os.hostname()}/`, 'webhookUrl', policy).catch(
      (e: Error) => e,
    );
    expect(err).toBeInstanceOf(OutboundRefused);
    if (addresses.length) expect((err as Error).message).toMatch(/loopback|private|internal/);
  });

  it('refuses plain http unless configured', async () => {
    const strict = { ...policy, allowHttp: false };
    await expect(checkOutboundUrl('http://93.184.215.14/', 'webhookUrl', strict)).rejects.toThrow(
      /plain http is not enabled/,
    );
    await expect(checkOutboundUrl('https://93.184.215.14/', 'webhookUrl', strict)).resolves.toBeInstanceOf(
      URL,
    );
  });

  it('accepts an allow-listed receiver (an explicit operator choice)', async () => {
    await expect(
      checkOutboundUrl(`http://127.0.0.1:${receiver.port}/hook`, 'webhookUrl', policy),
    ).resolves.toBeInstanceOf(URL);
  });
});

describe('send time', () => {
  it('opens no connection to an internal target, whatever its spelling', async () => {
    for (const url of [
      `http://127.0.0.1:${target.port}/`,
      `http://localhost:${target.port}/`,
      `http://[::ffff:127.0.0.1]:${target.port}/`,
      `http://0.0.0.0:${target.port}/`,
      `http://${os.hostname()}:${target.port}/`,
      `http://127.1:${target.port}/`,
    ]) {
      await expect(
        outboundRequest(url, { method: 'POST', body: '{}' }, 'The webhook URL', policy),
        url,
      ).rejects.toThrow(OutboundRefused);
    }
    expect(target.connections()).toBe(0);
  });

  it('does not follow a redirect from an allowed receiver to an internal address', async () => {
    const res = await outboundRequest(
      `http://127.0.0.1:${receiver.port}/hook`,
      { method: 'POST', body: '{}' },
      'The webhook URL',
      policy,
    );
    expect(res.status).toBe(307);
    expect(res.ok).toBe(false);
    expect(receiver.connections()).toBe(1);
    expect(target.connections()).toBe(0);
  });
});

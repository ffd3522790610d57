// docker-compose.yml is valid (Debian's docker-compose validates it without a Docker engine) and
// starts what the SPEC promises: Redis with AOF on, two gateways on it, Jaeger taking OTLP.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';

const root = new URL('..', import.meta.url).pathname;
const run = promisify(execFile);

interface Service {
  image?: string;
  build?: unknown;
  command?: string[] | string;
  environment?: Record<string, string | null>;
  ports?: { published: number | string; target: number }[];
}

/** The resolved configuration (anchors merged, defaults filled in), as docker-compose prints it. */
async function resolvedConfig(): Promise<{ services: Record<string, Service> }> {
  const { stdout: yaml } = await run('docker-compose', ['config'], { cwd: root });
  // docker-compose is written in Python and depends on PyYAML: it is there wherever docker-compose is.
  const toJson = 'import json, sys, yaml; json.dump(yaml.safe_load(sys.stdin), sys.stdout)';
  const python = run('/usr/bin/python3', ['-c', toJson]);
  python.child.stdin!.end(yaml);
  return JSON.parse((await python).stdout);
}

const published = (service: Service) => (service.ports ?? []).map((port) => `${port.published}:${port.target}`);

const test = suite('docker-compose.yml');

test('docker-compose config -q accepts the file', async () => {
  try {
    await run('docker-compose', ['config', '-q'], { cwd: root });
  } catch (error) {
    assert.unreachable(`docker-compose config -q failed: ${(error as { stderr?: string }).stderr ?? error}`);
  }
});

test('redis runs with appendonly yes', async () => {
  const { redis } = (await resolvedConfig()).services;
  assert.ok(redis, 'no redis service');
  assert.match(redis.image ?? '', /^redis:7/);
  const command = Array.isArray(redis.command) ? redis.command.join(' ') : (redis.command ?? '');
  assert.match(command, /--appendonly yes\b/);
});

test('two gateways are built from the Dockerfile, share redis, export to jaeger, on ports 50051 and 50052', async () => {
  const { services } = await resolvedConfig();
  const gateways = Object.keys(services).filter((name) => name.startsWith('gateway')).sort();
  assert.equal(gateways, ['gateway-1', 'gateway-2']);
  for (const name of gateways) {
    const gateway = services[name]!;
    assert.ok(gateway.build, `${name} is not built from the Dockerfile`);
    assert.is(gateway.environment?.REDIS_URL, 'redis://redis:6379', name);
    assert.is(gateway.environment?.OTEL_EXPORTER_OTLP_ENDPOINT, 'http://jaeger:4317', name);
    assert.ok(gateway.environment?.OTEL_SERVICE_NAME, `${name} has no OTEL_SERVICE_NAME`);
  }
  assert.equal(published(services['gateway-1']!), ['50051:50051']);
  assert.equal(published(services['gateway-2']!), ['50052:50051']);
});

test('jaeger takes OTLP on 4317 and serves its UI on 16686', async () => {
  const { jaeger } = (await resolvedConfig()).services;
  assert.ok(jaeger, 'no jaeger service');
  assert.match(jaeger.image ?? '', /^jaegertracing\/all-in-one:/);
  assert.is(String(jaeger.environment?.COLLECTOR_OTLP_ENABLED), 'true');
  assert.equal(published(jaeger).sort(), ['16686:16686', '4317:4317']);
});

test.run();

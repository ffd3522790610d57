// The compose files are valid (Debian's docker-compose validates them without a Docker engine) and
// start what the SPEC promises: Redis with AOF on and noeviction (one server, or a 3-master Cluster),
// two gateways on it behind one round-robin gRPC address, Jaeger taking OTLP, and Prometheus scraping
// exactly the gateways' metrics ports.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
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
  volumes?: (string | { source: string; target: string })[];
  depends_on?: Record<string, { condition: string }>;
}

type Services = Record<string, Service>;

/** The resolved configuration (anchors merged, defaults filled in), as docker-compose prints it. */
async function resolvedConfig(file: string): Promise<Services> {
  const { stdout: yaml } = await run('docker-compose', ['-f', file, 'config'], { cwd: root });
  return ((await parseYaml(yaml)) as { services: Services }).services;
}

// docker-compose is written in Python and depends on PyYAML: it is there wherever docker-compose is.
async function parseYaml(yaml: string): Promise<unknown> {
  const toJson = 'import json, sys, yaml; json.dump(yaml.safe_load(sys.stdin), sys.stdout)';
  const python = run('/usr/bin/python3', ['-c', toJson]);
  python.child.stdin!.end(yaml);
  return JSON.parse((await python).stdout);
}

const published = (service: Service) => (service.ports ?? []).map((port) => `${port.published}:${port.target}`);
const commandOf = (service: Service) => (Array.isArray(service.command) ? service.command.join(' ') : (service.command ?? ''));
const port = (hostPort: string) => hostPort.slice(hostPort.lastIndexOf(':') + 1);

/** The host file mounted at `target` in the container, relative to the repository. */
function mounted(service: Service, target: string): string | undefined {
  for (const volume of service.volumes ?? []) {
    const [source, at] = typeof volume === 'string' ? volume.split(':') : [volume.source, volume.target];
    if (at === target) return source!.startsWith(root) ? source!.slice(root.length) : source;
  }
  return undefined;
}

const gatewaysOf = (services: Services) =>
  Object.keys(services)
    .filter((name) => name.startsWith('gateway'))
    .sort();

/** host:port of each gateway's gRPC port and of its metrics port, by service name (as other services reach them). */
const gatewayAddresses = (services: Services, variable: 'RELAY_LISTEN' | 'RELAY_METRICS_PORT') =>
  gatewaysOf(services).map((name) => `${name}:${port(services[name]!.environment![variable] ?? '')}`);

const test = suite('compose files');

for (const file of ['docker-compose.yml', 'docker-compose.cluster.yml']) {
  test(`${file}: docker-compose config -q accepts it`, async () => {
    try {
      await run('docker-compose', ['-f', file, 'config', '-q'], { cwd: root });
    } catch (error) {
      assert.unreachable(`docker-compose config -q failed: ${(error as { stderr?: string }).stderr ?? error}`);
    }
  });

  test(`${file}: two gateways are built from the Dockerfile, export to jaeger, serve metrics, and publish no port of their own`, async () => {
    const services = await resolvedConfig(file);
    const gateways = gatewaysOf(services);
    assert.equal(gateways, ['gateway-1', 'gateway-2']);
    for (const name of gateways) {
      const gateway = services[name]!;
      assert.ok(gateway.build, `${name} is not built from the Dockerfile`);
      assert.is(gateway.environment?.RELAY_GATEWAY_ID, name);
      assert.is(gateway.environment?.OTEL_EXPORTER_OTLP_ENDPOINT, 'http://jaeger:4317', name);
      assert.ok(gateway.environment?.OTEL_SERVICE_NAME, `${name} has no OTEL_SERVICE_NAME`);
      assert.match(gateway.environment?.RELAY_METRICS_PORT ?? '', /^[1-9]\d*$/, `${name} serves no metrics`);
      assert.equal(published(gateway), [], `${name} is reached through the proxy only`);
    }
  });

  test(`${file}: the proxy publishes 50051 and sends calls round-robin to exactly the gateways`, async () => {
    const services = await resolvedConfig(file);
    const { proxy } = services;
    assert.ok(proxy, 'no proxy service');
    // 1.27.3 or later: `server ... resolve` in the upstream.
    assert.match(proxy.image ?? '', /^nginx:1\.(2[7-9]|[3-9]\d)\b/);
    assert.equal(published(proxy), ['50051:50051']);
    assert.is(mounted(proxy, '/etc/nginx/nginx.conf'), 'deploy/nginx.conf');
    const nginx = readFileSync(new URL('../deploy/nginx.conf', import.meta.url), 'utf8');
    const upstream = /upstream relay_gateways \{([^}]*)\}/.exec(nginx)?.[1] ?? '';
    assert.not.match(upstream, /least_conn|ip_hash|hash /, 'round-robin is nginx’s default balancing');
    const servers = [...upstream.matchAll(/^\s*server\s+(\S+)(?: resolve)?;/gm)].map((match) => match[1]);
    assert.equal(servers.sort(), gatewayAddresses(services, 'RELAY_LISTEN'));
    assert.match(nginx, /listen 50051;/);
    assert.match(nginx, /grpc_pass grpc:\/\/relay_gateways;/);
  });

  test(`${file}: prometheus scrapes exactly the gateways' metrics ports`, async () => {
    const services = await resolvedConfig(file);
    const { prometheus } = services;
    assert.ok(prometheus, 'no prometheus service');
    assert.match(prometheus.image ?? '', /^prom\/prometheus:/);
    assert.equal(published(prometheus), ['9090:9090']);
    assert.is(mounted(prometheus, '/etc/prometheus/prometheus.yml'), 'deploy/prometheus.yml');
    const config = (await parseYaml(readFileSync(new URL('../deploy/prometheus.yml', import.meta.url), 'utf8'))) as {
      scrape_configs: { static_configs: { targets: string[] }[] }[];
    };
    const targets = config.scrape_configs.flatMap((job) => job.static_configs.flatMap((group) => group.targets));
    assert.equal(targets.sort(), gatewayAddresses(services, 'RELAY_METRICS_PORT'));
  });

  test(`${file}: jaeger takes OTLP on 4317 and serves its UI on 16686`, async () => {
    const { jaeger } = await resolvedConfig(file);
    assert.ok(jaeger, 'no jaeger service');
    assert.match(jaeger.image ?? '', /^jaegertracing\/all-in-one:/);
    assert.is(String(jaeger.environment?.COLLECTOR_OTLP_ENABLED), 'true');
    assert.equal(published(jaeger).sort(), ['16686:16686', '4317:4317']);
  });

  test(`${file}: every Redis server runs with appendonly yes and maxmemory-policy noeviction`, async () => {
    const services = await resolvedConfig(file);
    const servers = Object.values(services).filter((service) => /\bredis-server\b/.test(commandOf(service)));
    assert.ok(servers.length > 0, 'no redis-server');
    for (const server of servers) {
      assert.match(server.image ?? '', /^redis:7/);
      assert.match(commandOf(server), /--appendonly yes\b/);
      assert.match(commandOf(server), /--maxmemory-policy noeviction\b/);
    }
  });
}

test('docker-compose.yml: both gateways share the one redis', async () => {
  const services = await resolvedConfig('docker-compose.yml');
  assert.ok(services.redis, 'no redis service');
  for (const name of gatewaysOf(services)) {
    assert.is(services[name]!.environment?.REDIS_URL, 'redis://redis:6379', name);
    assert.is(services[name]!.environment?.RELAY_REDIS_CLUSTER_NODES, undefined, name);
  }
});

test('docker-compose.cluster.yml: three Cluster masters, created before the gateways start, which know all three', async () => {
  const services = await resolvedConfig('docker-compose.cluster.yml');
  const nodes = Object.keys(services)
    .filter((name) => /--cluster-enabled yes\b/.test(commandOf(services[name]!)))
    .sort();
  assert.equal(nodes, ['redis-1', 'redis-2', 'redis-3']);
  const init = services['redis-cluster-init'];
  assert.ok(init, 'no service creates the Cluster');
  assert.match(commandOf(init), /--cluster create --cluster-replicas 0\b/);
  assert.equal(Object.keys(init.depends_on ?? {}).sort(), nodes);
  for (const name of gatewaysOf(services)) {
    const gateway = services[name]!;
    assert.equal(gateway.environment?.RELAY_REDIS_CLUSTER_NODES?.split(',').sort(), nodes.map((node) => `${node}:6379`), name);
    assert.is(gateway.depends_on?.['redis-cluster-init']?.condition, 'service_completed_successfully', name);
  }
});

test.run();

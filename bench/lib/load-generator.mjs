// Runs autocannon in a child process, so the load generator and the server under test do not share an
// event loop (on a 2-core machine: one core each). Driven over IPC by runLoad() below.
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/**
 * @param {object} job
 * @param {string} job.url          base URL, e.g. http://127.0.0.1:40123
 * @param {number} job.connections
 * @param {number} job.durationS    measured seconds
 * @param {number} job.warmupS      seconds of load before measuring (results discarded)
 * @param {{path: string, headers: Record<string,string>}[]} job.targets  one per connection, reused round-robin
 * @param {string[]} job.bodies     request bodies, rotated per request across all connections
 * @param {number} [job.expectStatus]
 * @returns {Promise<{rps: number, p50: number, p90: number, p99: number, max: number, ok: number, bad: number, errors: number, timeouts: number, autocannonRps: number, statuses: Record<string, number>}>}
 */
export function runLoad(job) {
  return new Promise((resolve, reject) => {
    const child = fork(fileURLToPath(import.meta.url), ['--child'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    let settled = false;
    child.on('message', (m) => {
      settled = true;
      if (m.error) reject(new Error(m.error));
      else resolve(m.result);
      child.kill();
    });
    child.on('exit', (code) => {
      if (!settled) reject(new Error(`load generator exited with code ${code}`));
    });
    child.send(job);
  });
}

async function child() {
  const { default: autocannon } = await import('autocannon');
  process.once('message', async (job) => {
    try {
      if (job.warmupS > 0) await once(job, job.warmupS);
      const result = await once(job, job.durationS);
      process.send({ result });
    } catch (err) {
      process.send({ error: String(err?.stack ?? err) });
    }
  });

  function once(job, seconds) {
    const latencies = [];
    const statuses = {};
    let next = 0;
    let clientNo = 0;
    return new Promise((resolve, reject) => {
      const started = performance.now();
      autocannon(
        {
          url: job.url,
          connections: job.connections,
          duration: seconds,
          pipelining: 1,
          timeout: 10,
          setupClient(client) {
            const target = job.targets[clientNo++ % job.targets.length];
            // The first request of a connection is built before it connects; its timing includes the handshake.
            const state = { t0: 0, first: true };
            client.setRequests([
              {
                method: 'POST',
                path: target.path,
                headers: { 'content-type': 'application/json', ...target.headers },
                setupRequest(req) {
                  state.t0 = performance.now();
                  return { ...req, body: job.bodies[next++ % job.bodies.length] };
                },
                onResponse(status) {
                  const ms = performance.now() - state.t0;
                  statuses[status] = (statuses[status] ?? 0) + 1;
                  if (state.first) state.first = false;
                  else latencies.push(ms);
                },
              },
            ]);
          },
        },
        (err, res) => {
          if (err) return reject(err);
          const elapsedS = (performance.now() - started) / 1000;
          latencies.sort((a, b) => a - b);
          const q = (p) => (latencies.length ? latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] : Number.NaN);
          const expect = String(job.expectStatus ?? 200);
          const ok = statuses[expect] ?? 0;
          const total = Object.values(statuses).reduce((a, b) => a + b, 0);
          resolve({
            rps: ok / (res.duration > 0 ? res.duration : elapsedS),
            p50: q(0.5),
            p90: q(0.9),
            p99: q(0.99),
            max: latencies.at(-1) ?? Number.NaN,
            ok,
            bad: total - ok,
            errors: res.errors,
            timeouts: res.timeouts,
            autocannonRps: res.requests.average,
            statuses,
          });
        },
      );
    });
  }
}

if (process.argv.includes('--child')) await child();

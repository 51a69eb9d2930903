/**
 * librdkafka's mock cluster as a test broker: `kcat -b dummy:1 -X test.mock.num.brokers=N -d mock`
 * runs librdkafka's in-process mock (reference §5) and keeps it alive while kcat consumes a dummy
 * topic. Its bootstrap address comes from the debug line `bootstrap.servers=127.0.0.1:P,...`.
 *
 * Quirks that matter to Kafka mode: no CreateTopics / DeleteTopics / DescribeConfigs (topics are
 * auto-created on Metadata, with 4 partitions and replication factor min(3, brokers)), Metadata v2
 * (naming a topic in Metadata creates it), and a controllerId that is not a listed broker.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';

export interface MockCluster {
  /** `bootstrap.servers` of every mock broker. */
  readonly bootstrap: string;
  readonly brokers: string[];
  close(): Promise<void>;
}

let kcatChecked: boolean | undefined;
export function hasKcat(): boolean {
  kcatChecked ??= spawnSync('kcat', ['-V'], { stdio: 'ignore' }).status === 0;
  return kcatChecked;
}

export async function startMockCluster(brokers = 3, timeoutMs = 10000): Promise<MockCluster> {
  const child: ChildProcess = spawn('kcat', ['-b', 'dummy:1', '-X', `test.mock.num.brokers=${brokers}`, '-d', 'mock', '-C', '-t', '_sluice_mock_keepalive', '-q'], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const bootstrap = await new Promise<string>((resolve, reject) => {
    let text = '';
    const timer = setTimeout(() => fail(new Error(`kcat mock cluster did not start: ${text.slice(0, 500)}`)), timeoutMs);
    function fail(e: Error): void {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(e);
    }
    child.once('error', fail);
    child.once('exit', (code) => fail(new Error(`kcat exited with ${code}: ${text.slice(0, 500)}`)));
    child.stderr!.setEncoding('utf8');
    const onData = (chunk: string): void => {
      text += chunk;
      const m = /bootstrap\.servers=(\S+)/.exec(text);
      if (m) {
        clearTimeout(timer);
        child.removeAllListeners('exit');
        child.stderr!.off('data', onData);
        child.stderr!.resume(); // keep draining the debug log so kcat never blocks on a full pipe
        text = '';
        resolve(m[1]!);
      } else if (text.length > 1 << 20) text = text.slice(-4096);
    };
    child.stderr!.on('data', onData);
  });
  return {
    bootstrap,
    brokers: bootstrap.split(','),
    close: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 2000).unref();
      }),
  };
}

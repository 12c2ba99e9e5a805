#!/usr/bin/python3
"""Time to quality of the window's default model, headless: aelab-cli train beside PyTorch.

The model is the window's default, 784-256-[2]-256-784 (ReLU hidden, linear 2-D code, sigmoid output),
MSE, Adam, trained on the app's 8,004 training digits and scored on its 1,996 test digits (the embedded
MNIST split, exported by `aelab-cli export --split train|test`). For each batch size, learning rate and
seed both programs train in turn (alternating, so machine noise hits both) and report the training
seconds (evaluation excluded, summed over epochs) until the test MSE after an epoch is below PCA-2's
(`aelab-cli pca --k 2`) and until it is at or below the target (default 0.047). Medians over the seeds.

    tests/bench/time_to_quality.py --cli build/release/app/cli/aelab-cli --batches 32 128 512 --lrs 1e-3
    tests/bench/time_to_quality.py --cli ... --engines aelab --batches 64 128 256 --lrs 1e-3 2e-3 4e-3

The window measures the same from Play with `aelab --measure-quality` (its test MSE every 100 ms, or 3 passes' time when a pass is slow).
"""
import argparse, gzip, json, os, statistics, struct, subprocess, sys, tempfile, time

p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
p.add_argument('--cli', required=True, help='the built aelab-cli')
p.add_argument('--engines', nargs='+', default=['aelab', 'torch'], choices=['aelab', 'torch'])
p.add_argument('--batches', nargs='+', type=int, default=[32, 128, 512])
p.add_argument('--lrs', nargs='+', type=float, default=[1e-3])
p.add_argument('--seeds', nargs='+', type=int, default=[1, 2, 3])
p.add_argument('--threads', type=int, default=1)
p.add_argument('--target', type=float, default=0.047)
p.add_argument('--max-epochs', type=int, default=60)
p.add_argument('--json', default=None, help='also write every run to this file')
p.add_argument('--blas-core', default=None,
               help="OpenBLAS kernels for PyTorch (OPENBLAS_CORETYPE; default this CPU's widest, SkylakeX or Haswell, "
                    "whatever the environment says), as aelab-cli bench --compare")
args = p.parse_args()


def torch_at_its_best():
    """Runs this script again with PyTorch on the OpenMP OpenBLAS and the CPU's widest kernels (as `aelab-cli bench
    --compare`): both are read when torch loads, the library path only at process start. An OPENBLAS_CORETYPE from
    the environment (a shell profile's Haswell) would hold PyTorch to AVX2 on an AVX-512 machine."""
    if 'torch' not in args.engines or os.environ.get('AELAB_TTQ_BLAS') == '1':
        return
    flags = open('/proc/cpuinfo').read().split()
    core = args.blas_core or ('SkylakeX' if 'avx512f' in flags else 'Haswell' if 'avx2' in flags else '')
    env = dict(os.environ, AELAB_TTQ_BLAS='1')
    if core:
        env['OPENBLAS_CORETYPE'] = core
    blas = '/usr/lib/x86_64-linux-gnu/openblas-openmp'
    if os.path.isdir(blas):
        env['LD_LIBRARY_PATH'] = blas + (':' + env['LD_LIBRARY_PATH'] if env.get('LD_LIBRARY_PATH') else '')
    print(f'PyTorch on OpenBLAS\'s {core or "default"} kernels', file=sys.stderr, flush=True)
    os.execve(sys.executable, [sys.executable] + sys.argv, env)


torch_at_its_best()


def pca2_test_mse():
    out = subprocess.run([args.cli, 'pca', '--k', '2'], check=True, capture_output=True, text=True).stdout
    return json.loads(out.splitlines()[0])['test_mse']


def aelab_run(batch, lr, seed, pca2):
    cmd = [args.cli, 'train', '--data', 'mnist', '--batch', str(batch), '--lr', str(lr), '--seed', str(seed),
           '--threads', str(args.threads), '--epochs', str(args.max_epochs), '--quiet']
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True)
    res, seconds, samples = {'below': None, 'reach': None}, 0.0, 0
    for line in proc.stdout:
        e = json.loads(line)
        seconds += e['seconds']
        samples += e['steps'] * batch
        mark(res, e['epoch'], seconds, e['test_mse'], pca2)
        if res['reach']:
            break
    proc.kill()
    proc.wait()
    res['samples_per_s'] = samples / seconds if seconds else 0
    return res


def mark(res, epoch, seconds, mse, pca2):
    if res['below'] is None and mse < pca2:
        res['below'] = {'epochs': epoch, 'seconds': seconds}
    if res['reach'] is None and mse <= args.target:
        res['reach'] = {'epochs': epoch, 'seconds': seconds}


def torch_runner(tmp):
    import torch, torch.nn as nn, torch.nn.functional as F
    torch.set_num_threads(args.threads)

    def read(path):  # idx3: magic 0x803, n, rows, cols (big-endian int32), then n*rows*cols bytes
        raw = gzip.open(path).read() if path.endswith('.gz') else open(path, 'rb').read()
        magic, n, rows, cols = struct.unpack('>4i', raw[:16])
        assert magic == 0x803 and len(raw) == 16 + n * rows * cols, path
        return torch.frombuffer(bytearray(raw[16:]), dtype=torch.uint8).reshape(n, rows * cols).float().div_(255.0)

    halves = {}
    for half in ('train', 'test'):
        img, lab = os.path.join(tmp, half + '-images.idx'), os.path.join(tmp, half + '-labels.idx')
        subprocess.run([args.cli, 'export', '--data', 'mnist', '--split', half, '--images', img, '--labels', lab],
                       check=True, capture_output=True)
        halves[half] = read(img)
    X, T = halves['train'], halves['test']

    def run(batch, lr, seed, pca2):
        torch.manual_seed(seed)
        net = nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 2), nn.Linear(2, 256), nn.ReLU(),
                            nn.Linear(256, 784), nn.Sigmoid())
        opt = torch.optim.Adam(net.parameters(), lr=lr)
        res, seconds, n = {'below': None, 'reach': None}, 0.0, X.shape[0]
        for epoch in range(1, args.max_epochs + 1):
            t0 = time.perf_counter()
            perm = torch.randperm(n)
            for i in range(0, n, batch):
                xb = X.index_select(0, perm[i:i + batch])
                opt.zero_grad(set_to_none=True)
                F.mse_loss(net(xb), xb).backward()
                opt.step()
            seconds += time.perf_counter() - t0
            with torch.no_grad():
                mark(res, epoch, seconds, float(F.mse_loss(net(T), T)), pca2)
            if res['reach']:
                break
        res['samples_per_s'] = epoch * n / seconds
        return res
    return run


def med(runs, key, field):
    v = [r[key][field] for r in runs if r[key]]
    return (statistics.median(v), len(v)) if v else (None, 0)


def main():
    pca2 = pca2_test_mse()
    print(f'PCA-2 test MSE {pca2:.5f}, target {args.target}; {args.threads} thread(s); medians over seeds {args.seeds}')
    with tempfile.TemporaryDirectory() as tmp:
        runners = {'aelab': aelab_run}
        if 'torch' in args.engines:
            runners['torch'] = torch_runner(tmp)
        all_runs = []
        print(f"{'engine':6s} {'batch':>5s} {'lr':>7s} | {'epochs<PCA-2':>12s} {'s<PCA-2':>8s} | "
              f"{'epochs<=tgt':>11s} {'s<=tgt':>8s} | {'samples/s':>9s}  runs")
        for batch in args.batches:
            for lr in args.lrs:
                runs = {e: [] for e in args.engines}
                for seed in args.seeds:
                    for e in args.engines:
                        r = runners[e](batch, lr, seed, pca2)
                        r.update(engine=e, batch=batch, lr=lr, seed=seed)
                        runs[e].append(r)
                        all_runs.append(r)
                for e in args.engines:
                    (eb, _), (sb, nb) = med(runs[e], 'below', 'epochs'), med(runs[e], 'below', 'seconds')
                    (er, _), (sr, nr) = med(runs[e], 'reach', 'epochs'), med(runs[e], 'reach', 'seconds')
                    f = lambda v, w, d: f'{v:{w}.{d}f}' if v is not None else f"{'-':>{w}s}"
                    sps = statistics.median(r['samples_per_s'] for r in runs[e])
                    print(f'{e:6s} {batch:5d} {lr:7.0e} | {f(eb, 12, 1)} {f(sb, 8, 2)} | {f(er, 11, 1)} {f(sr, 8, 2)} | '
                          f'{sps:9.0f}  {nb}/{nr} of {len(runs[e])}', flush=True)
        if args.json:
            with open(args.json, 'w') as fh:
                json.dump({'pca2': pca2, 'args': vars(args), 'runs': all_runs}, fh, indent=1)


main()

#!/usr/bin/python3
"""PyTorch reference for `aelab-cli bench`: the same five MLP autoencoders on the same 10,000 MNIST digits.

The digits come from aelab itself:  aelab-cli export --data mnist --images digits.idx --labels labels.idx
(pixels / 255, float32). `aelab-cli bench --compare` writes this script to a temporary folder and runs it.
Install what it needs with .ci/install-bench-deps (Debian's python3-torch and OpenBLAS).

Models (hidden activations; the last layer is always sigmoid):
  A    784-256-2-256-784            ReLU hidden, linear 2-D code
  B    784-512-128-32-128-512-784   ReLU hidden, linear 32-D code
  C    784-64-784                   sigmoid hidden
  CAE  C + lambda * ||dh/dx||_F^2 = lambda * mean_b sum_j (h_j (1-h_j))^2 sum_i W_ji^2  (analytic, sigmoid)
  DAE  C with 30 % masking noise on the input, clean target
All: Adam (lr 1e-3, default betas), MSE (mean over batch x 784), float32, data resident in one tensor,
reshuffled each epoch with randperm + index_select. samples/s = 10,000 / median epoch time without the
first (warm-up) epoch; the train MSE (clean inputs, no penalty) is evaluated after each epoch, untimed.
Prints one line per model x batch:  "A    bs=  32 thr=2     13600 samples/s (...) ep=8 final_mse=0.0480".
"""
import argparse, gzip, json, statistics, struct, time
import torch, torch.nn as nn, torch.nn.functional as F

p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
p.add_argument('--images', required=True, help='IDX images file (idx3, optionally .gz) from aelab-cli export')
p.add_argument('--models', nargs='+', default=['A', 'B', 'C', 'CAE', 'DAE'], choices=['A', 'B', 'C', 'CAE', 'DAE'])
p.add_argument('--batches', nargs='+', type=int, default=[32, 128, 512])
p.add_argument('--seed', type=int, default=0)
p.add_argument('--threads', type=int, default=2)
p.add_argument('--max-epochs', type=int, default=8)
p.add_argument('--min-epochs', type=int, default=4, help='always train at least this many epochs')
p.add_argument('--max-seconds', type=float, default=10.0, help='stop a run after this much training time')
p.add_argument('--lr', type=float, default=1e-3)
p.add_argument('--cae-lambda', type=float, default=1e-3)
p.add_argument('--noise', type=float, default=0.3)
p.add_argument('--out', default=None, help='also write every result as JSON to this file')
args = p.parse_args()

torch.set_num_threads(args.threads)


def read_idx_images(path):
    """idx3: magic 0x00000803, count, rows, cols (big-endian int32), then count*rows*cols bytes."""
    raw = (gzip.open if path.endswith('.gz') else open)(path, 'rb').read()
    magic, n, rows, cols = struct.unpack('>4i', raw[:16])
    if magic != 0x803 or len(raw) != 16 + n * rows * cols:
        raise SystemExit(f'{path}: not an IDX images file of {n} x {rows} x {cols} bytes')
    pixels = torch.frombuffer(bytearray(raw[16:]), dtype=torch.uint8)
    return pixels.reshape(n, rows * cols).float().div_(255.0).contiguous()


X = read_idx_images(args.images)
N = X.shape[0]
TARGETS = {'A': [0.050, 0.045], 'B': [0.020, 0.015, 0.012], 'C': [0.040, 0.030, 0.020],
           'CAE': [0.040, 0.030, 0.020], 'DAE': [0.040, 0.030, 0.020]}
WIDTHS = {'A': [784, 256, 2, 256, 784], 'B': [784, 512, 128, 32, 128, 512, 784]}


def make(model):
    sizes = WIDTHS.get(model, [784, 64, 784])
    code = len(sizes) // 2
    hidden = nn.ReLU if model in WIDTHS else nn.Sigmoid
    layers = []
    for i in range(len(sizes) - 1):
        layers.append(nn.Linear(sizes[i], sizes[i + 1]))
        if i == len(sizes) - 2:
            layers.append(nn.Sigmoid())
        elif not (model in WIDTHS and i + 1 == code):  # A and B have linear codes
            layers.append(hidden())
    return nn.Sequential(*layers)


def fwd_flops(model):  # multiply-add = 2 flops, products only
    s = WIDTHS.get(model, [784, 64, 784])
    return sum(2 * a * b for a, b in zip(s[:-1], s[1:]))


def train_step(net, opt, xb, model):
    opt.zero_grad(set_to_none=True)
    if model == 'CAE':
        enc, dec = net[0], net[2]
        h = torch.sigmoid(enc(xb))
        loss = F.mse_loss(torch.sigmoid(dec(h)), xb)
        dh = (h * (1 - h)) ** 2                      # B x 64
        wn = (enc.weight ** 2).sum(dim=1)            # 64
        loss = loss + args.cae_lambda * (dh @ wn).mean()
    elif model == 'DAE':
        xin = xb * (torch.rand_like(xb) >= args.noise)
        loss = F.mse_loss(net(xin), xb)
    else:
        loss = F.mse_loss(net(xb), xb)
    loss.backward()
    opt.step()


@torch.no_grad()
def eval_mse(net):
    return float(sum(F.mse_loss(net(X[i:i + 2000]), X[i:i + 2000], reduction='sum')
                     for i in range(0, N, 2000)) / X.numel())


def run(model, bs):
    torch.manual_seed(args.seed)
    net = make(model)
    opt = torch.optim.Adam(net.parameters(), lr=args.lr)
    times, mses, reached, t_train = [], [], {}, 0.0
    for ep in range(args.max_epochs):
        t0 = time.perf_counter()
        perm = torch.randperm(N)
        for i in range(0, N, bs):
            train_step(net, opt, X.index_select(0, perm[i:i + bs]), model)
        dt = time.perf_counter() - t0
        t_train += dt
        times.append(dt)
        mses.append(eval_mse(net))
        for tg in TARGETS[model]:
            if tg not in reached and mses[-1] <= tg:
                reached[tg] = {'epochs': ep + 1, 'seconds': t_train}
        if ep + 1 >= args.min_epochs and (len(reached) == len(TARGETS[model]) or t_train >= args.max_seconds):
            break
    sps = N / statistics.median(times[1:] if len(times) > 1 else times)
    return {'model': model, 'batch': bs, 'threads': args.threads, 'samples_per_s': sps,
            'gflops_eff': sps * 3 * fwd_flops(model) / 1e9, 'epoch_times': times, 'mse': mses,
            'reached': {str(k): v for k, v in reached.items()}, 'final_mse': mses[-1], 'epochs': len(mses),
            'train_seconds': t_train}


results = []
for model in args.models:
    for bs in args.batches:
        r = run(model, bs)
        results.append(r)
        print(f"{model:4s} bs={bs:4d} thr={args.threads} {r['samples_per_s']:9.0f} samples/s "
              f"({r['gflops_eff']:5.1f} GFLOP/s eff) ep={r['epochs']} final_mse={r['final_mse']:.4f}", flush=True)
if args.out:
    with open(args.out, 'w') as f:
        json.dump({'tool': 'torch_reference.py', 'torch': torch.__version__, 'args': vars(args),
                   'results': results}, f, indent=1)

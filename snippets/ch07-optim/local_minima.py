"""局部极小值与鞍点：鞍点附近梯度下降走得很慢；多次随机初始化取最好的。"""

# --8<-- [start:saddle]
import numpy as np

for y0 in (1e-6, 1e-3, 0.1):
    p, steps, smallest = np.array([1.0, y0]), 0, np.inf
    while abs(p[1]) < 1:                         # f = x² − y²：只有沿 y 方向才能继续下降
        grad = np.array([2 * p[0], -2 * p[1]])
        smallest = min(smallest, np.linalg.norm(grad))
        p = p - 0.1 * grad
        steps += 1
    print(f"从 (1, {y0:g}) 出发: {steps:2d} 步后 |y| 才超过 1，途中梯度的范数最小只有 {smallest:.1e}")
# --8<-- [end:saddle]

# --8<-- [start:restarts]
import numpy as np

f = lambda x: np.sin(3 * x) + 0.3 * x * x        # noqa: E731  有多个局部极小值
fp = lambda x: 3 * np.cos(3 * x) + 0.3 * 2 * x   # noqa: E731
rng = np.random.default_rng(0)
ends = []
for x0 in rng.uniform(-3, 3, 10):                # 10 个随机起点
    x = x0
    for _ in range(200):
        x -= 0.05 * fp(x)
    ends.append(x)
ends = np.array(ends)
print("10 次梯度下降的终点:", np.round(np.sort(ends), 2))
print(f"其中最好的: x = {ends[np.argmin(f(ends))]:.3f}，f = {f(ends).min():.3f}")
# --8<-- [end:restarts]

assert len(set(np.round(ends, 2))) == 3 and abs(f(ends).min() - f(-0.491)) < 1e-3

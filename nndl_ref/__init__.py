"""nndl_ref：《神经网络与深度学习》可执行笔记的参考实现。

每个模型实现两遍，模块名一一对应：

- ``nndl_ref.numpy``：NumPy 从零实现，前向与反向都手写，默认 float64，从不导入 torch；
- ``nndl_ref.torch``：PyTorch 实现（CPU 或 GPU），由测试与 NumPy 版逐一对照。

约定（全包统一，只在这里说一次）
--------------------------------
- 一批样本按行排列：``X`` 的形状是 ``(N, D)``，N 为样本数，D 为特征维数。
- 权重按 ``(输出, 输入)`` 存放，所以书中的 $z = W x + b$ 在批量形式下写作
  ``z = X @ W.T + b``；torch 的 ``nn.Linear.weight`` 与此相同，可以直接拷贝，无需转置。
- 变量名沿用书中符号：``W, w, b, z, a, y, y_hat``；梯度在符号前加 ``d``：``dW, db, dz``。
- NumPy 层是成对函数：``*_forward(...) -> (out, cache)``，
  ``*_backward(dout, cache) -> 各输入的梯度``（顺序与 forward 的输入一致）。
- 随机性只通过显式参数 ``rng``（``numpy.random.Generator``）或 ``seed`` 进入。
- 错误输入抛出 ``ValueError``/``TypeError``，信息里写明期望的形状、类型或取值范围。

站点的每一页都从本包取代码；每个公开函数的文档字符串写明它属于书中哪一节。
"""

__version__ = "0.2.0"

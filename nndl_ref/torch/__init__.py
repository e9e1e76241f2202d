"""PyTorch 实现：与 ``nndl_ref.numpy`` 模块名一一对应，CPU 或 GPU 均可。

测试把每个函数与 NumPy 版（float64、相同权重）以及 torch 内置函数逐一对照。
"""

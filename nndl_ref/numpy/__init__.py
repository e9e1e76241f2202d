"""NumPy 从零实现：前向与反向全部手写，默认 float64，从不导入 torch。"""

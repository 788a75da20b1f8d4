def maxpool2d_backward(dout, x, kernel_size, stride=None):
    if stride is None:
        stride = kernel_size
    dx = np.zeros_like(x)
    N, C, Ho, Wo = dout.shape
    for n in range(N):
        for c in range(C):
            for i in range(Ho):
                for j in range(Wo):
                    r, q = i * stride, j * stride
                    window = x[n, c, r:r + kernel_size, q:q + kernel_size]
                    a, b = divmod(int(window.argmax()), kernel_size)
                    dx[n, c, r + a, q + b] += dout[n, c, i, j]
    return dx

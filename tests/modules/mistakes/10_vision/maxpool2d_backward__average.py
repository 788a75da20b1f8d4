# mistake: average-pool
# expect: average pooling
def maxpool2d_backward(dout, x, kernel_size, stride=None):
    k = kernel_size
    s = k if stride is None else stride
    n, c = x.shape[:2]
    h_out, w_out = dout.shape[2:]
    dx = np.zeros(x.shape)
    for oh in range(h_out):
        for ow in range(w_out):
            dx[:, :, oh * s:oh * s + k, ow * s:ow * s + k] += dout[:, :, oh, ow, None, None] / (k * k)
    return dx

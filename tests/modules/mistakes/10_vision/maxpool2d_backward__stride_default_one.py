# mistake: stride-default
# expect: stride is kernel_size
def maxpool2d_backward(dout, x, kernel_size, stride=None):
    k = kernel_size
    s = stride or 1
    n, c = x.shape[:2]
    h_out, w_out = dout.shape[2:]
    dx = np.zeros(x.shape)
    n_idx, c_idx = np.indices((n, c))
    for oh in range(h_out):
        for ow in range(w_out):
            a = x[:, :, oh * s:oh * s + k, ow * s:ow * s + k].reshape(n, c, k * k).argmax(-1)
            np.add.at(dx, (n_idx, c_idx, oh * s + a // k, ow * s + a % k), dout[:, :, oh, ow])
    return dx

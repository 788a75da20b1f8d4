# mistake: overwrite-not-add
# expect: overwrote instead of adding
def maxpool2d_backward(dout, x, kernel_size, stride=None):
    k = kernel_size
    s = k if stride is None else stride
    n, c = x.shape[:2]
    h_out, w_out = dout.shape[2:]
    dx = np.zeros(x.shape)
    for b in range(n):
        for ch in range(c):
            for oh in range(h_out):
                for ow in range(w_out):
                    win = x[b, ch, oh * s:oh * s + k, ow * s:ow * s + k]
                    i, j = np.unravel_index(np.argmax(win), win.shape)
                    dx[b, ch, oh * s + i, ow * s + j] = dout[b, ch, oh, ow]
    return dx

# mistake: overwrite-not-add
# expect: np.add.at
def maxpool2d_backward(dout, x, kernel_size, stride=None):
    from numpy.lib.stride_tricks import sliding_window_view

    k = kernel_size
    s = k if stride is None else stride
    n, c, h_out, w_out = dout.shape
    win = sliding_window_view(x, (k, k), axis=(2, 3))[:, :, ::s, ::s][:, :, :h_out, :w_out]
    a = win.reshape(n, c, h_out, w_out, k * k).argmax(-1)
    nn, cc, oh, ow = np.indices((n, c, h_out, w_out))
    dx = np.zeros(x.shape)
    dx[nn, cc, oh * s + a // k, ow * s + a % k] += dout        # repeated indices keep one value
    return dx

def maxpool2d_backward(dout, x, kernel_size, stride=None):
    from numpy.lib.stride_tricks import sliding_window_view

    k, s = kernel_size, stride or kernel_size
    n, c, ho, wo = dout.shape
    win = sliding_window_view(x, (k, k), axis=(2, 3))[:, :, ::s, ::s][:, :, :ho, :wo].reshape(n, c, ho, wo, k * k)
    best = win.argmax(-1)
    dx = np.zeros(x.shape)
    for off in range(k * k):                                         # one kernel offset at a time: no repeats
        i, j = divmod(off, k)
        dx[:, :, i:i + s * ho:s, j:j + s * wo:s] += np.where(best == off, dout, 0.0)
    return dx

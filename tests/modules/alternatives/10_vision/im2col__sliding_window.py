def im2col(x, kh, kw, stride=1, padding=0):
    from numpy.lib.stride_tricks import sliding_window_view

    xp = np.pad(x, [(0, 0), (0, 0), (padding, padding), (padding, padding)])
    win = sliding_window_view(xp, (kh, kw), axis=(2, 3))[:, :, ::stride, ::stride]   # (N, C, Ho, Wo, kh, kw)
    n, c, ho, wo = win.shape[:4]
    return win.transpose(0, 1, 4, 5, 2, 3).reshape(n, c * kh * kw, ho * wo)

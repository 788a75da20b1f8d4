def conv2d_backward(dout, x, w, stride=1, padding=0):
    p, s = padding, stride
    xp = np.pad(x, ((0, 0), (0, 0), (p, p), (p, p)))
    dxp = np.zeros_like(xp)
    dw = np.zeros_like(w)
    kh, kw = w.shape[2:]
    for oh in range(dout.shape[2]):
        for ow in range(dout.shape[3]):
            g = dout[:, :, oh, ow]                                   # (N, F)
            patch = xp[:, :, oh * s:oh * s + kh, ow * s:ow * s + kw]  # (N, C, kh, kw)
            dw += np.tensordot(g, patch, axes=([0], [0]))
            dxp[:, :, oh * s:oh * s + kh, ow * s:ow * s + kw] += np.tensordot(g, w, axes=([1], [0]))
    h, wd = x.shape[2:]
    return dxp[:, :, p:p + h, p:p + wd], dw, np.einsum("nfhw->f", dout)

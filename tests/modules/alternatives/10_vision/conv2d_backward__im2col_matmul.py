def conv2d_backward(dout, x, w, stride=1, padding=0):
    n, c, h, wd = x.shape
    f, _, kh, kw = w.shape
    ho, wo = dout.shape[2:]
    cols = im2col(x, kh, kw, stride, padding)                        # (N, C*kh*kw, L), my answer above
    d = dout.reshape(n, f, ho * wo)
    dw = np.einsum("nfl,nkl->fk", d, cols).reshape(w.shape)
    dcols = np.einsum("fk,nfl->nkl", w.reshape(f, -1), d).reshape(n, c, kh, kw, ho, wo)
    dxp = np.zeros((n, c, h + 2 * padding, wd + 2 * padding))
    for i in range(kh):
        for j in range(kw):
            dxp[:, :, i:i + stride * ho:stride, j:j + stride * wo:stride] += dcols[:, :, i, j]
    dx = dxp[:, :, padding:padding + h, padding:padding + wd]
    return [dx, dw, d.sum(axis=(0, 2))]

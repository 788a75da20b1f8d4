# mistake: db-shape
# expect: not the shape (F,)
def conv2d_backward(dout, x, w, stride=1, padding=0):
    _, _, h, wd = x.shape
    _, _, kh, kw = w.shape
    h_out, w_out = dout.shape[2:]
    s, p = stride, padding
    xp = np.pad(x, ((0, 0), (0, 0), (p, p), (p, p)))
    dxp = np.zeros(xp.shape)
    dw = np.zeros(w.shape)
    for i in range(kh):
        for j in range(kw):
            rows, cols = slice(i, i + s * h_out, s), slice(j, j + s * w_out, s)
            dw[:, :, i, j] = np.einsum("nfhw,nchw->fc", dout, xp[:, :, rows, cols])
            dxp[:, :, rows, cols] += np.einsum("nfhw,fc->nchw", dout, w[:, :, i, j])
    return dxp[:, :, p:p + h, p:p + wd], dw, dout.sum(axis=(0, 2, 3), keepdims=True)

# mistake: stride-ignored-dw
# expect: ignored the stride in dw
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
    dw = np.zeros(w.shape)
    for oh in range(h_out):
        for ow in range(w_out):
            dw += np.einsum("nf,ncij->fcij", dout[:, :, oh, ow], xp[:, :, oh:oh + kh, ow:ow + kw])
    return dxp[:, :, p:p + h, p:p + wd], dw, dout.sum(axis=(0, 2, 3))

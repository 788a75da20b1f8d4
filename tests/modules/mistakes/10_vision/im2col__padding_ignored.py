# mistake: padding-ignored
# expect: ignored `padding`
def im2col(x, kh, kw, stride=1, padding=0):
    n, c, h, w = x.shape
    h_out = (h - kh) // stride + 1
    w_out = (w - kw) // stride + 1
    cols = np.empty((n, c, kh, kw, h_out, w_out))
    for i in range(kh):
        for j in range(kw):
            cols[:, :, i, j] = x[:, :, i:i + stride * h_out:stride, j:j + stride * w_out:stride]
    return cols.reshape(n, c * kh * kw, h_out * w_out)

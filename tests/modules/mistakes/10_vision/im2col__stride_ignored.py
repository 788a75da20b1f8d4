# mistake: stride-ignored
# expect: ignored `stride`
def im2col(x, kh, kw, stride=1, padding=0):
    n, c, h, w = x.shape
    xp = np.pad(x, ((0, 0), (0, 0), (padding, padding), (padding, padding)))
    h_out, w_out = xp.shape[2] - kh + 1, xp.shape[3] - kw + 1
    cols = np.empty((n, c, kh, kw, h_out, w_out))
    for i in range(kh):
        for j in range(kw):
            cols[:, :, i, j] = xp[:, :, i:i + h_out, j:j + w_out]
    return cols.reshape(n, c * kh * kw, h_out * w_out)

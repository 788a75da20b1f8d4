# mistake: kernel-transposed
# expect: kernel row i, column j
def im2col(x, kh, kw, stride=1, padding=0):
    n, c, h, w = x.shape
    h_out = (h + 2 * padding - kh) // stride + 1
    w_out = (w + 2 * padding - kw) // stride + 1
    xp = np.pad(x, ((0, 0), (0, 0), (padding, padding), (padding, padding)))
    cols = np.empty((n, c, kw, kh, h_out, w_out))
    for j in range(kw):
        for i in range(kh):
            cols[:, :, j, i] = xp[:, :, i:i + stride * h_out:stride, j:j + stride * w_out:stride]
    return cols.reshape(n, c * kh * kw, h_out * w_out)

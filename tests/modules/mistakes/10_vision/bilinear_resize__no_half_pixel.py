# mistake: no-half-pixel
# expect: (dst + 0.5)*in/out - 0.5
def bilinear_resize(img, out_h, out_w):
    def axis(n_in, n_out):
        src = np.arange(n_out) * n_in / n_out
        i0 = np.floor(src).astype(int)
        i1 = np.minimum(i0 + 1, n_in - 1)
        return i0, i1, src - i0

    r0, r1, ly = axis(img.shape[1], out_h)
    c0, c1, lx = axis(img.shape[2], out_w)
    rows = img[:, r0, :] * (1 - ly)[None, :, None] + img[:, r1, :] * ly[None, :, None]
    return rows[:, :, c0] * (1 - lx) + rows[:, :, c1] * lx

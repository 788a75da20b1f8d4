# mistake: rounding
# expect: nearest-neighbour
def bilinear_resize(img, out_h, out_w):
    def src(n_in, n_out):
        s = np.maximum((np.arange(n_out) + 0.5) * n_in / n_out - 0.5, 0.0)
        return np.minimum((s + 0.5).astype(int), n_in - 1)

    return img[:, src(img.shape[1], out_h)][:, :, src(img.shape[2], out_w)]

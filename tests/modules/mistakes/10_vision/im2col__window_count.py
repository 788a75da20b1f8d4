# mistake: output-size
# expect: H_out = (H + 2p - kh)//s + 1
def im2col(x, kh, kw, stride=1, padding=0):
    n, c, h, w = x.shape
    xp = np.pad(x, ((0, 0), (0, 0), (padding, padding), (padding, padding)))
    h_out = (h + 2 * padding - kh + 1) // stride          # "number of positions, divided by the stride"
    w_out = (w + 2 * padding - kw + 1) // stride
    cols = [xp[:, :, oh * stride:oh * stride + kh, ow * stride:ow * stride + kw].reshape(n, -1)
            for oh in range(h_out) for ow in range(w_out)]
    return np.stack(cols, axis=-1)

# mistake: off-by-one
# expect: one too small
def conv_output_size(in_size, kernel_size, stride=1, padding=0, dilation=1):
    return (in_size + 2 * padding - dilation * (kernel_size - 1) - 1) // stride


def conv2d(x, weight, bias=None, stride=1, padding=0):
    n, _, h, w = x.shape
    o, _, kh, kw = weight.shape
    h_out, w_out = conv_output_size(h, kh, stride, padding), conv_output_size(w, kw, stride, padding)
    cols = F.unfold(x, (kh, kw), padding=padding, stride=stride)[..., :h_out * w_out]
    out = (weight.reshape(o, -1) @ cols).reshape(n, o, h_out, w_out)
    return out if bias is None else out + bias.reshape(1, o, 1, 1)

# mistake: output-size
# expect: off by one
def conv_output_size(in_size, kernel_size, stride=1, padding=0, dilation=1):
    import math
    return math.floor((in_size + 2 * padding - dilation * (kernel_size - 1) - 1) / stride) + 1


def conv2d(x, weight, bias=None, stride=1, padding=0):
    # a loop over output positions; each window contracts against every output channel at once
    xp = F.pad(x, (padding, padding, padding, padding))
    n, _, h, w = x.shape
    o, _, kh, kw = weight.shape
    h_out, w_out = (h + 2 * padding - kh) // stride, (w + 2 * padding - kw) // stride
    out = x.new_zeros(n, o, h_out, w_out)
    for i in range(h_out):
        for j in range(w_out):
            window = xp[:, :, i * stride:i * stride + kh, j * stride:j * stride + kw]
            out[:, :, i, j] = torch.einsum("nckl,ockl->no", window, weight)
    if bias is not None:
        out += bias[None, :, None, None]
    return out

# mistake: padding-ignored
# expect: pad the input with zeros
def conv_output_size(in_size, kernel_size, stride=1, padding=0, dilation=1):
    return (in_size + 2 * padding - dilation * (kernel_size - 1) - 1) // stride + 1


def conv2d(x, weight, bias=None, stride=1, padding=0):
    n, _, h, w = x.shape
    o, _, kh, kw = weight.shape
    h_out, w_out = conv_output_size(h, kh, stride), conv_output_size(w, kw, stride)
    cols = F.unfold(x, (kh, kw), stride=stride)
    out = (weight.reshape(o, -1) @ cols).reshape(n, o, h_out, w_out)
    return out if bias is None else out + bias.reshape(1, o, 1, 1)

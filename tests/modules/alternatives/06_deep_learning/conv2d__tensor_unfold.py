def conv_output_size(in_size, kernel_size, stride=1, padding=0, dilation=1):
    return int((in_size + 2 * padding - dilation * (kernel_size - 1) - 1) // stride + 1)


def conv2d(x, weight, bias=None, stride=1, padding=0):
    # sliding windows with Tensor.unfold (a strided view), then one einsum
    xp = F.pad(x, [padding] * 4)
    _, _, kh, kw = weight.shape
    patches = xp.unfold(2, kh, stride).unfold(3, kw, stride)       # (N, C, H_out, W_out, kh, kw)
    out = torch.einsum("nchwkl,ockl->nohw", patches, weight)
    return out if bias is None else out + bias.view(1, -1, 1, 1)

# mistake: blocked-call
# expect: implement it yourself
def bilinear_resize(img, out_h, out_w):
    from scipy import ndimage

    return ndimage.zoom(img, (1, out_h / img.shape[1], out_w / img.shape[2]), order=1, grid_mode=True,
                        mode="nearest")

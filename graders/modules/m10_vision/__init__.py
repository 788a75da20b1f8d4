"""10_vision: computer vision from the pixels up (im2col, conv and pooling backward, resizing, boxes, mAP,
augmentation geometry, focal loss)."""

use super::*;

#[test]
fn ladders() {
    assert_eq!(ladder_step(&LR_LADDER, 0.05, true), Some(0.1));
    assert_eq!(ladder_step(&LR_LADDER, 0.05, false), Some(0.02));
    assert_eq!(ladder_step(&LR_LADDER, 0.03, false), Some(0.02));
    assert_eq!(ladder_step(&LR_LADDER, 1.0, true), None);
    assert_eq!(ladder_step(&MOMENTUM_LADDER, 0.9, true), Some(0.95));
}

/// Under 'same' padding the even kernels (4 and 6 would give 29×29 maps) are stepped over.
#[test]
fn kernel_keeps_same_padding_on_odd_sizes() {
    let arch = Arch::default();
    let (new, msg) = adjust_block(&arch, 0, Field::Kernel, true).unwrap();
    assert_eq!((new.blocks[0].kernel, new.blocks[0].padding), (5, 2));
    assert_eq!(msg, "block 1 kernel 3→5, padding 1→2");
    let plan = new.plan().unwrap();
    assert_eq!(plan.layers[0].out_shape[1], 28, "the map keeps its size");
    let (up, _) = adjust_block(&new, 0, Field::Kernel, true).unwrap();
    assert_eq!(up.blocks[0].kernel, 7);
    assert_eq!(
        adjust_block(&up, 0, Field::Kernel, true).unwrap_err(),
        "a 'same' kernel 9×9 is not offered (1–7, odd)"
    );
    let (down, _) = adjust_block(&arch, 0, Field::Kernel, false).unwrap();
    assert_eq!((down.blocks[0].kernel, down.blocks[0].padding), (1, 0));
    // Another padding than 'same': one size at a time, the padding kept where it fits.
    let mut valid = Arch::default();
    valid.blocks[0].padding = 0;
    let (four, msg) = adjust_block(&valid, 0, Field::Kernel, true).unwrap();
    assert_eq!((four.blocks[0].kernel, four.blocks[0].padding), (4, 0));
    assert_eq!(msg, "block 1 kernel 3→4");
}

#[test]
fn refusals_read_as_sentences() {
    let mut arch = Arch::default();
    arch.blocks[0].stride = 4;
    assert_eq!(
        adjust_block(&arch, 0, Field::Stride, true).unwrap_err(),
        "stride 5 is not offered (1–4)"
    );
    assert_eq!(
        adjust_block(&Arch::default(), 0, Field::Padding, true)
            .and_then(|(a, _)| adjust_block(&a, 0, Field::Padding, true))
            .unwrap_err(),
        "padding 3 is not offered with a 3×3 kernel (0–2)"
    );
    let mut wide = Arch::default();
    wide.blocks[0].filters = 64;
    assert_eq!(
        adjust_block(&wide, 0, Field::Filters, true).unwrap_err(),
        "filters 128 is not offered (1–64)"
    );
    arch.blocks[1].stride = 2;
    let (too_far, what) = adjust_block(&arch, 1, Field::Stride, true).unwrap();
    let e = too_far.plan().unwrap_err();
    assert_eq!(
        refusal(&what, &e),
        "block 2 stride 2→3 cannot be built: block 2 would get a 1×1 map, too small for \
         its 2×2 pool window"
    );
    assert_eq!(
        refusal("removed block 1", &ArchError::BlockCount(0)),
        "the network needs at least 1 conv block"
    );
}

#[test]
fn batch_stays_in_range() {
    let h = Hyper {
        batch: 1,
        ..Hyper::default()
    };
    assert!(adjust_hyper(&h, Field::Batch, false).is_err());
    assert_eq!(adjust_hyper(&h, Field::Batch, true).unwrap().0.batch, 2);
}

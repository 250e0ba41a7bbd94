use super::*;

/// The default preset, written out: the engine does not know the presets.
fn default_blocks() -> Vec<ConvBlock> {
    vec![
        ConvBlock::new(8, 3, PoolKind::Max),
        ConvBlock::new(16, 3, PoolKind::Max),
    ]
}

#[test]
fn out_len_matches_the_formula() {
    assert_eq!(conv_out_len(28, 3, 1, 1), Some(28));
    assert_eq!(conv_out_len(28, 3, 2, 1), Some(14));
    assert_eq!(conv_out_len(28, 5, 3, 0), Some(8)); // ⌊23/3⌋ + 1
    assert_eq!(dropped_border(28, 5, 3, 0), 2);
    assert_eq!(conv_out_len(2, 5, 1, 1), None);
}

#[test]
fn default_preset_ledger() {
    let plan = plan(&default_blocks()).unwrap();
    let shapes: Vec<_> = plan
        .layers
        .iter()
        .map(|l| (l.name.as_str(), l.out_shape))
        .collect();
    assert_eq!(
        shapes,
        vec![
            ("conv1", [8, 28, 28]),
            ("relu1", [8, 28, 28]),
            ("maxpool1", [8, 14, 14]),
            ("conv2", [16, 14, 14]),
            ("relu2", [16, 14, 14]),
            ("maxpool2", [16, 7, 7]),
            ("flatten", [784, 1, 1]),
            ("dense", [10, 1, 1]),
        ]
    );
    // 8·(9+1) + 16·(8·9+1) + 784·10 + 10
    assert_eq!(plan.total_params(), 80 + 1168 + 7850);
    assert_eq!(
        plan.layers[0].formula().unwrap(),
        "⌊(28 + 2·1 − 3)/1⌋ + 1 = 28"
    );
    // A dense layer from 784 pixels to conv1's 6272 outputs.
    assert_eq!(plan.layers[0].dense_equivalent_params, 784 * 6272 + 6272);
}

#[test]
fn every_row_carries_its_place_in_the_network() {
    let mut blocks = default_blocks();
    blocks[0].pool = PoolKind::None;
    let plan = plan(&blocks).unwrap();
    let ids: Vec<_> = plan.layers.iter().map(|l| l.id).collect();
    assert_eq!(
        ids,
        [
            LayerId::conv(0),
            LayerId::relu(0),
            LayerId::conv(1),
            LayerId::relu(1),
            LayerId::pool(1),
            LayerId::Flatten,
            LayerId::Dense,
        ]
    );
    assert_eq!(LayerId::pool(1).block(), Some(1));
    assert!(LayerId::relu(0).is(Stage::Relu) && !LayerId::relu(0).is(Stage::Conv));
    assert_eq!(LayerId::Dense.block(), None);
    assert_eq!(LayerId::Flatten.stage(), None);
    assert_eq!(plan.layer(LayerId::pool(1)).unwrap().name, "maxpool2");
    assert_eq!(plan.layer(LayerId::pool(0)), None);
}

#[test]
fn impossible_configurations_are_refused() {
    let mut blocks = default_blocks();
    blocks[0].padding = 3;
    assert!(matches!(
        plan(&blocks),
        Err(ArchError::PaddingTooLarge { .. })
    ));
    let mut blocks = default_blocks();
    blocks[1].pool_size = 4;
    blocks[0].stride = 4; // 28 → 7, pool 2 → 3, conv → 3, pool 4 > 3
    assert!(
        matches!(plan(&blocks), Err(ArchError::PoolTooLarge { .. })),
        "{:?}",
        plan(&blocks)
    );
    assert_eq!(plan(&[]), Err(ArchError::BlockCount(0)));
}

/// Sets one number of a block.
type Setter = fn(&mut ConvBlock, usize);

#[test]
fn every_limit_is_the_planners() {
    let block = ConvBlock::new(8, 3, PoolKind::Max);
    let with = |set: Setter, v: usize| {
        let mut b = block;
        set(&mut b, v);
        plan(&[b])
    };
    let cases: [(&str, std::ops::RangeInclusive<usize>, Setter); 4] = [
        ("filters", FILTERS_RANGE, |b, v| b.filters = v),
        ("kernel", KERNEL_RANGE, |b, v| {
            (b.kernel, b.padding) = (v, 0)
        }),
        ("stride", STRIDE_RANGE, |b, v| b.stride = v),
        ("pool size", POOL_RANGE, |b, v| b.pool_size = v),
    ];
    for (what, range, set) in cases {
        let (lo, hi) = (*range.start(), *range.end());
        assert!(with(set, lo).is_ok(), "{what} {lo}");
        assert!(with(set, hi).is_ok(), "{what} {hi}");
        for bad in [lo - 1, hi + 1] {
            let err = with(set, bad).unwrap_err();
            assert!(
                matches!(err, ArchError::OutOfRange { what: w, got, .. } if w == what && got == bad),
                "{what} {bad}: {err}"
            );
        }
    }
    let k = *KERNEL_RANGE.end();
    assert!(with(|b, k| (b.kernel, b.padding) = (k, max_padding(k)), k).is_ok());
    let too_many = vec![block; BLOCKS_RANGE.end() + 1];
    assert_eq!(
        plan(&too_many),
        Err(ArchError::BlockCount(BLOCKS_RANGE.end() + 1))
    );
}

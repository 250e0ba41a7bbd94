//! End to end in a pseudo-terminal: a student walks two lessons while training runs (stride,
//! then padding), and opens the fc-vs-cnn screen, whose MLP has trained beside the CNN.

mod common;

use common::Session;

const DOWN: &[u8] = b"\x1b[B";

#[test]
fn a_student_walks_the_stride_and_padding_lessons() {
    let mut s = Session::start(160, 48, &[]);
    s.wait_for("running", 30);
    s.wait_for("Learned filters", 5);

    s.keys("5");
    s.wait_for("lessons: up/down, Enter", 5);
    s.send(DOWN);
    s.send(DOWN);
    s.wait_for("Task: press S: what happened to conv1's shape", 5);
    s.keys("\r");
    s.wait_for("lesson 3/8: Stride", 5);
    s.wait_for("Learned filters", 5); // back on the dashboard, the card over it
    s.keys("S");
    s.wait_for("8×14×14", 10);
    s.wait_for("done! 5 then Enter", 5);

    s.keys("5");
    s.wait_for("[x] 3. Stride", 5);
    s.wait_for("Task: press p (padding down)", 5); // the next lesson is chosen
    s.keys("\r");
    s.wait_for("lesson 4/8: Padding", 5);
    // The lesson restored the default network: conv1 is back to 28×28 before the task.
    s.wait_for("8×28×28", 10);
    s.keys("p");
    s.wait_for("8×26×26", 10);
    s.wait_for("done! 5 then Enter", 5);

    // The MLP trained beside the CNN all along.
    s.keys("4");
    s.wait_for("fc vs cnn", 5);
    s.wait_for("9,550", 5);
    s.quit();
    assert_eq!(s.exit_code(5), 0);
}

"""Unit tests of actlib.teaching.costs: saved-tensor accounting and the timing helpers.

The accounting is checked against what autograd itself exposes on the graph
(``grad_fn._saved_result`` / ``_saved_self``), measured independently of the
hooks that ``costs`` uses. Timing helpers are checked for shape and sign only:
no test depends on how fast the machine is.
"""

from __future__ import annotations

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import actlib  # noqa: E402
from actlib.nn import autograd as hand_written  # noqa: E402
from actlib.teaching import costs  # noqa: E402


def _nbytes(t) -> int:
    return t.numel() * t.element_size()


@pytest.fixture
def x():
    return torch.randn(257, 3, requires_grad=True)


def test_relu_saved_bytes_equal_what_autograd_keeps(x):
    y = torch.relu(x)
    kept_by_autograd = y.grad_fn._saved_result          # ReLU's backward keeps its output
    saved = costs.saved_tensors(torch.relu, x)
    assert [s.nbytes for s in saved] == [_nbytes(kept_by_autograd)]
    assert [s.role for s in saved] == ["output"]


def test_gelu_saves_its_input(x):
    y = torch.nn.functional.gelu(x)
    assert y.grad_fn._saved_self.data_ptr() == x.data_ptr()
    saved = costs.saved_tensors(torch.nn.functional.gelu, x)
    assert [(s.role, s.nbytes) for s in saved] == [("input", _nbytes(x))]


def test_sigmoid_saves_its_output(x):
    saved = costs.saved_tensors(torch.sigmoid, x)
    assert [(s.role, s.nbytes) for s in saved] == [("output", _nbytes(x))]


def test_hand_written_relu_saves_a_one_byte_mask(x):
    saved = costs.saved_tensors(hand_written.relu, x)
    assert [(s.role, s.dtype, s.nbytes) for s in saved] == [("new", "bool", x.numel())]


def test_identity_saves_nothing(x):
    assert costs.saved_tensors(lambda t: t * 1.0, x) == []
    assert costs.kept_bytes(lambda t: t * 1.0, x) == 0


def test_kept_bytes_counts_a_shared_tensor_once():
    torch.manual_seed(0)
    hidden, batch = 32, 5
    inp = torch.randn(batch, 8, requires_grad=True)
    relu_block = torch.nn.Sequential(torch.nn.Linear(8, hidden), torch.nn.ReLU(),
                                     torch.nn.Linear(hidden, 4))
    gelu_block = torch.nn.Sequential(torch.nn.Linear(8, hidden), torch.nn.GELU(),
                                     torch.nn.Linear(hidden, 4))
    # ReLU's saved output is the second Linear's saved input: one tensor.
    assert costs.kept_bytes(relu_block, inp, parameters=relu_block.parameters()) == 4 * batch * hidden
    # GELU keeps its input (the pre-activation) as well.
    assert costs.kept_bytes(gelu_block, inp, parameters=gelu_block.parameters()) == 8 * batch * hidden


def test_parameters_are_not_counted():
    layer = torch.nn.Linear(6, 3)
    inp = torch.randn(2, 6, requires_grad=True)
    roles = {s.role for s in costs.saved_tensors(layer, inp, parameters=layer.parameters())}
    assert roles <= {"input", "parameter"}
    assert costs.kept_bytes(layer, inp, parameters=layer.parameters()) == 0


def test_composite_gelu_matches_the_fused_kernel():
    t = torch.linspace(-6, 6, 1001, dtype=torch.float64)
    fused = torch.nn.functional.gelu(t, approximate="tanh")
    torch.testing.assert_close(costs.gelu_tanh_composite(t), fused)


def test_median_seconds_is_positive_and_calls_the_function():
    calls = []
    seconds = costs.median_seconds(lambda: calls.append(1), repeat=3, warmup=2)
    assert seconds > 0
    assert len(calls) == 5


@pytest.mark.parametrize("bad", [0, -1, 1.5, True])
def test_median_seconds_rejects_a_bad_repeat(bad):
    with pytest.raises(ValueError, match="repeat"):
        costs.median_seconds(lambda: None, repeat=bad)


def test_per_element_timings_are_positive():
    rec = actlib.get("sigmoid")
    x_np = np.linspace(-3, 3, 4096, dtype=np.float32)
    assert costs.numpy_ns_per_element(rec, x_np, repeat=2) > 0
    assert costs.torch_ns_per_element(rec, torch.from_numpy(x_np), repeat=2) > 0
    assert costs.copy_ns_per_element(x_np, repeat=2) > 0
    assert costs.copy_ns_per_element(torch.from_numpy(x_np), repeat=2) > 0


def test_torch_callable_falls_back_to_actlib_nn():
    rec = actlib.get("hard_sigmoid_keras")            # PyTorch has no such function
    assert rec.torch is None
    t = torch.linspace(-4, 4, 9)
    np.testing.assert_allclose(costs.torch_callable(rec)(t).numpy(), rec.fn(t.numpy()), atol=1e-6)


def test_bandwidth_counts_one_read_and_one_write():
    assert costs.bandwidth_gbs(10**9, 2.0) == pytest.approx(1.0)


def test_cuda_helpers_refuse_cpu_tensors():
    if torch.cuda.is_available():
        pytest.skip("a CUDA device is present")
    with pytest.raises(RuntimeError, match="CUDA"):
        costs.cuda_median_seconds(lambda: None)
    with pytest.raises(ValueError, match="CUDA"):
        costs.cuda_kept_bytes(torch.relu, torch.zeros(3))


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA device")
def test_cuda_allocator_agrees_with_the_accounting():
    torch.manual_seed(0)
    block = torch.nn.Sequential(torch.nn.Linear(256, 1024), torch.nn.GELU(),
                                torch.nn.Linear(1024, 256)).cuda()
    inp = torch.randn(64, 256, device="cuda")
    stats = costs.cuda_kept_bytes(block, inp, list(block.parameters()))
    expected = costs.kept_bytes(block, inp.clone().requires_grad_(), parameters=block.parameters())
    assert stats["kept"] == pytest.approx(expected, rel=0.05)
    assert stats["peak"] >= stats["kept"]

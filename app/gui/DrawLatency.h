#pragma once
class MainWindow;

/// `aelab --measure-draw-latency SECONDS`: trains the current model while a digit is drawn on the
/// pad with mouse-move events posted at 60 Hz (queued like real input); reports the time from each
/// move to the end of the repaint that shows its reconstruction (p50, p95, max).
int measureDrawLatency(MainWindow &w, double seconds);

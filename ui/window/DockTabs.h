#pragma once
// Docks that share a column are tabs; showing one does not bring its tab to the front.
class QDockWidget;

namespace ael::ui {

/// Brings `dock` to the front of the tabs it shares (a dock alone in its place just shows). Now, and again once
/// its tab exists (a dock just shown has none yet, so Qt would leave the tab in front as it was), with lower()
/// first: raise() on a dock that is already its parent's top child changes nothing, and the dock never asks
/// for its tab.
void raiseDockTab(QDockWidget *dock);

/// The dock's toggle (tool bar, View menu, shortcut) as a user means it: opening brings the dock's tab to the
/// front, and on a dock that is open but behind another tab (lesson 1's PCA panel behind the lesson: its
/// button shows pressed) it brings the tab to the front instead of closing the dock unseen.
void toggleToFront(QDockWidget *dock);

}  // namespace ael::ui

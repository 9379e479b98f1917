use std::future::Future;

use leptos::prelude::*;

/// Loads data whenever the signals that `load` reads change, keeping only the newest answer
/// (a slow old search never overwrites a newer one). `None` while loading.
///
/// A signal and an effect instead of `LocalResource`: the async-derived machinery behind
/// resources costs tens of kilobytes of the first load that this app does not need.
pub fn loader<T, Fut>(load: impl Fn() -> Fut + 'static) -> ReadSignal<Option<T>>
where
    T: Send + Sync + 'static,
    Fut: Future<Output = T> + 'static,
{
    let (value, set) = signal(None);
    let latest = StoredValue::new(0u32);
    Effect::new(move |_| {
        // Reading the inputs happens here, synchronously, so the effect tracks them.
        let fut = load();
        latest.update_value(|n| *n += 1);
        let mine = latest.get_value();
        set.set(None);
        leptos::task::spawn_local(async move {
            let answer = fut.await;
            if latest.get_value() == mine {
                set.set(Some(answer));
            }
        });
    });
    value
}

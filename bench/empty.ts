// Intentionally empty: the start-up floor of `node --import tsx` and `npx tsx`.
export {};

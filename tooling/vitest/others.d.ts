/** Lets other users traverse every folder above `path`; returns a function that undoes it. */
export function letOthersReach(path: string): () => void;

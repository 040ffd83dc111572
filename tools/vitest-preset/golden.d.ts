export declare function goldenFiles(dir: string): (name: string, actual: string) => void;

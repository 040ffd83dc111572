export declare function freshSchemaPrefix(): string;
export declare function describePostgres(name: string, body: (url: string) => void): void;
